using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Accounts.NationalIdentity;
using DichVuCong.Web.Modules.Accounts.NationalIdentity.Sandbox;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DichVuCong.Tests.Modules.Accounts;

/// <summary>
/// Sign-in through the national identity provider, end to end through the real pipeline: the portal's
/// OpenID Connect client talks to the sandbox provider served by the same portal.
/// </summary>
public abstract class NationalIdentityTests(PortalFixture portal)
{
    internal const string ClientId = "dichvucong-kiemthu";
    internal const string ClientSecret = "khoa-bi-mat-chi-dung-khi-kiem-thu";
    internal const string Callback = "http://localhost" + NationalIdentityOptions.CallbackPath;

    internal static PortalFactory CreatePortal(DatabaseProvider provider, string connectionString)
    {
        PortalFactory? factory = null;
        factory = new PortalFactory(provider, connectionString, new Dictionary<string, string?>
        {
            ["NationalIdentity:Sandbox:Enabled"] = "true",
            // The in-memory server has no address of its own; a browser would see it as http://localhost.
            ["NationalIdentity:Authority"] = "http://localhost" + SandboxIdentityProvider.Path,
            ["NationalIdentity:ClientId"] = ClientId,
            ["NationalIdentity:ClientSecret"] = ClientSecret,
        })
        {
            // The client's calls to the provider (discovery, keys, token) go to the in-memory server.
            TestServices = s => s.Configure<OpenIdConnectOptions>(NationalIdentityOptions.Scheme, o => o.BackchannelHttpHandler = factory!.Server.CreateHandler()),
        };
        return factory;
    }

    private HttpClient NewBrowser() => portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>
    /// The browser's whole trip: the button on the sign-in page, the provider's page, picking a person,
    /// the callback; returns the answer of the portal's landing page.
    /// </summary>
    private static async Task<HttpResponseMessage> SignInWithNationalIdentityAsync(HttpClient browser, string subject, string? returnUrl = null)
    {
        var signInPage = await browser.GetPageAsync("/dang-nhap" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        Assert.Equal("Đăng nhập bằng tài khoản định danh điện tử VNeID", signInPage.QuerySelector("form.national-identity button").Text());
        using var challenge = await browser.SubmitAsync(signInPage, "form.national-identity", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("http://localhost/dinh-danh-thu/authorize?", challenge.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);

        using var providerPage = await browser.GetAsync(challenge.Headers.Location);
        var picker = await Html.ParseAsync(providerPage);
        Assert.Equal("Chọn người dùng thử", picker.QuerySelector("h1").Text());
        using var picked = await browser.SubmitAsync(picker, "main form", new Dictionary<string, string> { ["nguoi"] = subject });
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        Assert.StartsWith(Callback + "?", picked.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);

        using var callback = await browser.GetAsync(picked.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        return await browser.GetAsync(callback.Headers.Location);
    }

    private static async Task<JsonElement?> MeAsync(HttpClient browser)
    {
        using var me = await browser.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        return me.StatusCode == HttpStatusCode.OK ? await me.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    private async Task<List<AuditKind>> AuditOfAsync(Guid userId)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditEvents.Where(e => e.UserId == userId).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_first_sign_in_creates_a_citizen_account_from_the_claims_and_the_next_one_reuses_it()
    {
        using var browser = NewBrowser();

        using var landing = await SignInWithNationalIdentityAsync(browser, "thu-0002", returnUrl: "/ho-so-cua-toi");

        Assert.Equal(HttpStatusCode.Redirect, landing.StatusCode);
        Assert.Equal("/ho-so-cua-toi", landing.Headers.Location?.OriginalString);
        var page = await browser.GetPageAsync("/ho-so-cua-toi");
        Assert.Equal("Trần Thị Hoa", page.QuerySelector(".account .user-name").Text());
        var me = (await MeAsync(browser))!.Value;
        Assert.Equal(["citizen"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        AppUser created;
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            created = await users.Users.SingleAsync(u => u.CitizenId == "001301004567", TestContext.Current.CancellationToken);
            Assert.Equal(AccountKind.Citizen, created.Kind);
            Assert.Equal("Trần Thị Hoa", created.FullName);
            Assert.Equal("0934567890", created.PhoneNumber);
            Assert.True(created.PhoneNumberConfirmed);
            Assert.False(await users.HasPasswordAsync(created));
            Assert.Equal([("vneid", "thu-0002")], (await users.GetLoginsAsync(created)).Select(l => (l.LoginProvider, l.ProviderKey)));
        }

        using var again = NewBrowser();
        using var secondLanding = await SignInWithNationalIdentityAsync(again, "thu-0002", returnUrl: "https://ke-gia-mao.example/");

        Assert.Equal("/", secondLanding.Headers.Location?.OriginalString);
        Assert.Equal(me.GetProperty("userName").GetString(), (await MeAsync(again))!.Value.GetProperty("userName").GetString());
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal(1, await db.Users.CountAsync(u => u.CitizenId == "001301004567", TestContext.Current.CancellationToken));
        }

        Assert.Equal([AuditKind.ExternalLinked, AuditKind.ExternalSignIn, AuditKind.ExternalSignIn], await AuditOfAsync(created.Id));
    }

    [Fact]
    public async Task A_person_whose_cccd_already_has_an_account_is_linked_to_it()
    {
        using var browser = NewBrowser();

        using var landing = await SignInWithNationalIdentityAsync(browser, "thu-0001");

        Assert.Equal("/", landing.Headers.Location?.OriginalString);
        var me = (await MeAsync(browser))!.Value;
        Assert.Equal("demo.congdan", me.GetProperty("userName").GetString());
        Assert.Equal("Nguyễn Văn An", me.GetProperty("fullName").GetString());
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var demo = (await users.FindByNameAsync("demo.congdan"))!;
        Assert.Contains(await users.GetLoginsAsync(demo), l => l.LoginProvider == "vneid" && l.ProviderKey == "thu-0001");
        Assert.True(await users.HasPasswordAsync(demo));
        Assert.Equal(1, await users.Users.CountAsync(u => u.CitizenId == "036095001234", TestContext.Current.CancellationToken));
        Assert.Equal([AuditKind.ExternalLinked, AuditKind.ExternalSignIn], (await AuditOfAsync(demo.Id)).Where(k => k is AuditKind.ExternalLinked or AuditKind.ExternalSignIn));
    }

    [Fact]
    public async Task A_cccd_only_typed_at_registration_is_linked_only_with_that_accounts_password()
    {
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var typed = new AppUser { UserName = "036187654321", FullName = "Phạm Thị Thu Hằng", Kind = AccountKind.Citizen, CitizenId = "036187654321", LockoutEnabled = true };
            Assert.True((await users.CreateAsync(typed, "Mat-khau-da-dang-ky-1")).Succeeded);
        }

        using var browser = NewBrowser();
        using var landing = await SignInWithNationalIdentityAsync(browser, "thu-0004");

        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        var ask = await Html.ParseAsync(landing);
        Assert.Contains("●●●●●●●●●321", ask.QuerySelector("main").Text(), StringComparison.Ordinal);
        Assert.Null(await MeAsync(browser));

        using var wrong = await browser.SubmitAsync(ask, "#lien-ket", new Dictionary<string, string> { ["Password"] = "khong-phai" });
        Assert.Contains("Mật khẩu không đúng", (await Html.ParseAsync(wrong)).QuerySelector(".error-summary").Text(), StringComparison.Ordinal);
        Assert.Null(await MeAsync(browser));

        using var linked = await browser.SubmitAsync(ask, "#lien-ket", new Dictionary<string, string> { ["Password"] = "Mat-khau-da-dang-ky-1" });
        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        Assert.Equal("036187654321", (await MeAsync(browser))!.Value.GetProperty("userName").GetString());
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var account = (await users.FindByNameAsync("036187654321"))!;
            Assert.True(account.CitizenIdVerified);
            Assert.Contains(await users.GetLoginsAsync(account), l => l.ProviderKey == "thu-0004");
        }
    }

    [Fact]
    public async Task An_administrator_signing_in_with_the_national_identity_still_needs_the_authenticator_code()
    {
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = new AppUser { UserName = "quantri.vneid", FullName = "Lê Đức Minh", Kind = AccountKind.Administrator, CitizenId = "079088123456", CitizenIdVerified = true, LockoutEnabled = true };
            Assert.True((await users.CreateAsync(admin)).Succeeded);
            Assert.True((await users.AddToRoleAsync(admin, Roles.SystemAdmin)).Succeeded);
            var store = (IUserAuthenticatorKeyStore<AppUser>)scope.ServiceProvider.GetRequiredService<IUserStore<AppUser>>();
            await store.SetAuthenticatorKeyAsync(admin, PortalFactory.DemoTotpSecret, TestContext.Current.CancellationToken);
            Assert.True((await users.SetTwoFactorEnabledAsync(admin, true)).Succeeded);
        }

        using var browser = NewBrowser();
        using var landing = await SignInWithNationalIdentityAsync(browser, "thu-0003", returnUrl: "/quan-tri/thu-da-gui");

        Assert.Equal(HttpStatusCode.Redirect, landing.StatusCode);
        Assert.StartsWith("/dang-nhap/xac-thuc", landing.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Null(await MeAsync(browser));
        using (var blocked = await browser.GetAsync(new Uri("/quan-tri/thu-da-gui", UriKind.Relative)))
        {
            Assert.StartsWith("/dang-nhap", blocked.Headers.Location?.AbsolutePath ?? blocked.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        var second = await browser.FollowAsync(landing);
        using var done = await browser.SubmitAsync(second, "main form", new Dictionary<string, string> { ["Code"] = Totp.Code(PortalFactory.DemoTotpSecret) });
        Assert.Equal("/quan-tri/thu-da-gui", done.Headers.Location?.OriginalString);
        var list = await browser.GetPageAsync("/quan-tri/thu-da-gui");
        Assert.Equal("Lê Đức Minh", list.QuerySelector(".account .user-name").Text());
    }

    [Fact]
    public async Task A_malformed_cccd_from_the_provider_is_refused_with_a_message_and_no_account()
    {
        using var browser = NewBrowser();

        using var landing = await SignInWithNationalIdentityAsync(browser, "thu-0005");

        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        var page = await Html.ParseAsync(landing);
        Assert.Contains("số CCCD sai cấu trúc", page.QuerySelector(".error-summary").Text(), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("main a[href^='/dang-nhap']"));
        Assert.Null(await MeAsync(browser));
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.CitizenId == "099095000001", TestContext.Current.CancellationToken));
        var failure = await db.AuditEvents.OrderBy(e => e.Id).LastAsync(e => e.Kind == AuditKind.SignInFailed, TestContext.Current.CancellationToken);
        Assert.DoesNotContain("099095000001", failure.Detail ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_button_only_works_with_the_form_token()
    {
        using var browser = NewBrowser();

        using var forged = await browser.PostAsync(new Uri("/dang-nhap/vneid", UriKind.Relative), new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
    }

    [Fact]
    public async Task Cancelling_at_the_provider_comes_back_to_the_sign_in_page_signed_out()
    {
        using var browser = NewBrowser();
        var signInPage = await browser.GetPageAsync("/dang-nhap");
        using var challenge = await browser.SubmitAsync(signInPage, "form.national-identity", new Dictionary<string, string>());
        using var providerPage = await browser.GetAsync(challenge.Headers.Location);

        using var cancelled = await browser.SubmitAsync(await Html.ParseAsync(providerPage), "main form", new Dictionary<string, string> { ["huy"] = "true" });
        Assert.Contains("error=access_denied", cancelled.Headers.Location!.Query, StringComparison.Ordinal);
        using var callback = await browser.GetAsync(cancelled.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/dang-nhap", callback.Headers.Location!.IsAbsoluteUri ? callback.Headers.Location.AbsolutePath : callback.Headers.Location.OriginalString.Split('?')[0]);
        Assert.Null(await MeAsync(browser));
    }

    [Fact]
    public async Task The_sandbox_publishes_discovery_and_keys_that_verify_its_id_tokens()
    {
        using var browser = NewBrowser();
        var discovery = await browser.GetFromJsonAsync<JsonElement>(new Uri("/dinh-danh-thu/.well-known/openid-configuration", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("http://localhost/dinh-danh-thu", discovery.GetProperty("issuer").GetString());
        var keys = new JsonWebKeySet(await browser.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!), TestContext.Current.CancellationToken));

        var verifier = NewVerifier();
        var code = await CodeAsync(browser, verifier);
        using var basic = TokenRequest(code, verifier, secret: null);
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{Uri.EscapeDataString(ClientSecret)}")));
        using var answer = await browser.SendAsync(basic, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        var tokens = await answer.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(tokens.GetProperty("id_token").GetString(), new TokenValidationParameters
        {
            ValidIssuer = "http://localhost/dinh-danh-thu",
            ValidAudience = ClientId,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = ["RS256"],
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        Assert.Equal("thu-0004", validated.Claims["sub"]);
        Assert.Equal("036187654321", validated.Claims["citizen_id"]);
        Assert.Equal("Phạm Thị Thu Hằng", validated.Claims["name"]);
        Assert.Equal("nonce-kiem-thu", validated.Claims["nonce"]);

        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("/dinh-danh-thu/userinfo", UriKind.Relative));
        userInfoRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using var userInfo = await browser.SendAsync(userInfoRequest, TestContext.Current.CancellationToken);
        Assert.Equal("+84978654321", (await userInfo.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("phone_number").GetString());
    }

    [Fact]
    public async Task The_token_endpoint_refuses_a_wrong_secret_and_a_wrong_verifier_and_the_code_is_then_spent()
    {
        using var browser = NewBrowser();
        var verifier = NewVerifier();
        var code = await CodeAsync(browser, verifier);

        using var wrongSecret = await browser.SendAsync(TokenRequest(code, verifier, secret: "khoa-sai"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal("invalid_client", await ErrorOfAsync(wrongSecret));

        using var wrongVerifier = await browser.SendAsync(TokenRequest(code, NewVerifier()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.StatusCode);
        Assert.Equal("invalid_grant", await ErrorOfAsync(wrongVerifier));

        using var rightButSpent = await browser.SendAsync(TokenRequest(code, verifier), TestContext.Current.CancellationToken);
        Assert.Equal("invalid_grant", await ErrorOfAsync(rightButSpent));
    }

    [Fact]
    public async Task A_code_is_redeemed_once_and_only_with_its_redirect_address()
    {
        using var browser = NewBrowser();
        var verifier = NewVerifier();
        var elsewhere = await CodeAsync(browser, verifier);
        using var otherAddress = await browser.SendAsync(TokenRequest(elsewhere, verifier, redirectUri: "http://localhost/khac"), TestContext.Current.CancellationToken);
        Assert.Equal("invalid_grant", await ErrorOfAsync(otherAddress));

        var code = await CodeAsync(browser, verifier);
        using var first = await browser.SendAsync(TokenRequest(code, verifier), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var reused = await browser.SendAsync(TokenRequest(code, verifier), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("invalid_grant", await ErrorOfAsync(reused));
    }

    [Fact]
    public async Task The_provider_page_never_sends_a_code_to_an_unregistered_address_and_requires_pkce()
    {
        using var browser = NewBrowser();
        var verifier = NewVerifier();

        using var foreign = await browser.GetAsync(new Uri(AuthorizeUrl(verifier, redirectUri: "https://ke-gia-mao.example/callback"), UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("redirect_uri", (await Html.ParseAsync(foreign)).QuerySelector(".error-summary").Text(), StringComparison.Ordinal);

        // The same address slipped into the form of a good request is refused on the post too.
        var page = await browser.GetPageAsync(AuthorizeUrl(verifier));
        using var forged = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["nguoi"] = "thu-0004", ["redirect_uri"] = "https://ke-gia-mao.example/callback" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);

        using var unknownClient = await browser.GetAsync(new Uri(AuthorizeUrl(verifier, clientId: "ung-dung-la"), UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, unknownClient.StatusCode);

        using var noPkce = await browser.GetAsync(new Uri(AuthorizeUrl(verifier).Replace("&code_challenge_method=S256", "&code_challenge_method=plain", StringComparison.Ordinal), UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, noPkce.StatusCode);
        var query = QueryHelpers.ParseQuery(noPkce.Headers.Location!.Query);
        Assert.Equal("invalid_request", query["error"]);
        Assert.False(query.ContainsKey("code"));
    }

    private static string NewVerifier() => Base64UrlEncoder.Encode(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());

    private static string AuthorizeUrl(string verifier, string redirectUri = Callback, string clientId = ClientId) =>
        QueryHelpers.AddQueryString("/dinh-danh-thu/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid profile phone",
            ["state"] = "trang-thai",
            ["nonce"] = "nonce-kiem-thu",
            ["code_challenge"] = SandboxIdentityProvider.Challenge(verifier),
            ["code_challenge_method"] = "S256",
        });

    /// <summary>Picks the test person Phạm Thị Thu Hằng on the provider's page and returns the code it sends back.</summary>
    private static async Task<string> CodeAsync(HttpClient browser, string verifier)
    {
        var page = await browser.GetPageAsync(AuthorizeUrl(verifier));
        using var picked = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["nguoi"] = "thu-0004" });
        Assert.Equal(HttpStatusCode.Redirect, picked.StatusCode);
        var query = QueryHelpers.ParseQuery(picked.Headers.Location!.Query);
        Assert.Equal("trang-thai", query["state"]);
        return query["code"]!;
    }

    private static HttpRequestMessage TokenRequest(string code, string verifier, string? secret = ClientSecret, string redirectUri = Callback)
    {
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        };
        if (secret is not null)
        {
            fields["client_id"] = ClientId;
            fields["client_secret"] = secret;
        }

        return new HttpRequestMessage(HttpMethod.Post, new Uri("/dinh-danh-thu/token", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
    }

    private static async Task<string?> ErrorOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
}

public sealed class SandboxSqlitePortal : SqlitePortal
{
    internal override PortalFactory CreateFactory(string connectionString) => NationalIdentityTests.CreatePortal(Provider, connectionString);
}

public sealed class SandboxPostgresPortal : PostgresPortal
{
    internal override PortalFactory CreateFactory(string connectionString) => NationalIdentityTests.CreatePortal(Provider, connectionString);
}

public sealed class NationalIdentityTestsOnSqlite(SandboxSqlitePortal portal) : NationalIdentityTests(portal), IClassFixture<SandboxSqlitePortal>;

public sealed class NationalIdentityTestsOnPostgreSql(SandboxPostgresPortal portal) : NationalIdentityTests(portal), IClassFixture<SandboxPostgresPortal>;

/// <summary>The feature off (no configuration), and its configuration checked at start.</summary>
[Collection(SqliteCollection.Name)]
public sealed class NationalIdentityConfigurationTests(SqlitePortal portal)
{
    [Fact]
    public async Task Without_configuration_there_is_no_button_and_no_sandbox()
    {
        using var browser = portal.CreateClient();

        var signIn = await browser.GetPageAsync("/dang-nhap");
        Assert.Null(signIn.QuerySelector("form.national-identity"));
        using var discovery = await browser.GetAsync(new Uri("/dinh-danh-thu/.well-known/openid-configuration", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, discovery.StatusCode);
        using var picker = await browser.GetAsync(new Uri("/dinh-danh-thu/authorize", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, picker.StatusCode);
        using var landing = await browser.GetAsync(new Uri("/dang-nhap/vneid", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, landing.StatusCode);
    }

    [Fact]
    public async Task A_real_provider_gets_the_button_and_the_sign_in_page_lets_its_form_lead_there()
    {
        await using var configured = new PortalFactory(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), new Dictionary<string, string?>
        {
            ["NationalIdentity:Authority"] = "https://vneid.example.vn/oidc",
            ["NationalIdentity:ClientId"] = "dichvucong",
            ["NationalIdentity:ClientSecret"] = "bi-mat",
            ["NationalIdentity:DisplayName"] = "VNeID",
        });
        using var browser = configured.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await browser.GetAsync(new Uri("/dang-nhap", UriKind.Relative), TestContext.Current.CancellationToken);
        var page = await Html.ParseAsync(response);

        Assert.Equal("Đăng nhập bằng tài khoản định danh điện tử VNeID", page.QuerySelector("form.national-identity button").Text());
        // The button's post is answered with a redirect to the provider, which the browser checks against form-action.
        Assert.Contains("form-action 'self' https://vneid.example.vn;", response.Headers.GetValues("Content-Security-Policy").Single() + ";", StringComparison.Ordinal);
        using var sandbox = await browser.GetAsync(new Uri("/dinh-danh-thu/.well-known/openid-configuration", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, sandbox.StatusCode);
    }

    [Fact]
    public async Task An_authority_without_a_client_secret_stops_the_start()
    {
        await using var misconfigured = new PortalFactory(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), new Dictionary<string, string?>
        {
            ["NationalIdentity:Authority"] = "https://vneid.example.vn",
            ["NationalIdentity:ClientId"] = "dichvucong",
        });

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => misconfigured.Services);
        Assert.Contains("NationalIdentity:ClientSecret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_expires_after_a_minute()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var provider = new SandboxIdentityProvider(
            Options.Create(new NationalIdentityOptions { ClientId = "app", ClientSecret = "secret", Sandbox = { Enabled = true } }),
            time);
        var verifier = new string('v', 43);
        var code = provider.IssueCode("app", NationalIdentityTests.Callback, SandboxIdentityProvider.Challenge(verifier), null, SandboxIdentityProvider.People[0]);

        time.Advance(SandboxIdentityProvider.CodeLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal("invalid_grant", provider.Redeem(code, "app", NationalIdentityTests.Callback, verifier, "http://localhost/dinh-danh-thu").Error);
    }
}
