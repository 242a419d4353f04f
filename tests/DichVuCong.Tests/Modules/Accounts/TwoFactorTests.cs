using System.Net;
using System.Net.Http.Json;
using AngleSharp.Dom;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Accounts.ManageTwoFactor;
using DichVuCong.Web.Modules.Accounts.SignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

public abstract class TwoFactorTests(PortalFixture portal)
{
    private const string Password = "Mat-khau-dung-123";
    private const string TwoFactorPage = "/tai-khoan/xac-thuc-hai-buoc";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_citizen_turns_it_on_from_the_qr_page_and_then_needs_a_fresh_code_to_sign_in()
    {
        var (id, userName) = await NewAccountAsync(portal.Services, AccountKind.Citizen, Roles.Citizen);
        using var browser = NewBrowser(portal.Factory);
        using (var signedIn = await SignInAsync(browser, userName))
        {
            Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        }

        var off = await browser.GetPageAsync(TwoFactorPage);
        Assert.Contains("Đang tắt", off.QuerySelector("main").Text(), StringComparison.Ordinal);
        Assert.NotNull(off.QuerySelector(".qr svg[role=img] path"));
        var shownKey = off.QuerySelector("#khoa").Text();
        Assert.Matches("^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$", shownKey);
        var key = shownKey.Replace(" ", string.Empty, StringComparison.Ordinal);

        var step = Totp.Step();
        using var enabled = await browser.SubmitAsync(off, "#bat", new Dictionary<string, string> { ["Code"] = Totp.CodeForStep(key, step) });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var codesPage = await Html.ParseAsync(enabled);
        var codes = codesPage.QuerySelectorAll(".recovery-codes li").Select(li => li.Text()).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", c));
        Assert.Contains("chỉ hiện một lần", codesPage.QuerySelector("main").Text(), StringComparison.Ordinal);

        var on = await browser.GetPageAsync(TwoFactorPage);
        Assert.Contains("Đang bật", on.QuerySelector("main").Text(), StringComparison.Ordinal);
        Assert.Equal("10", on.QuerySelector("#so-ma-khoi-phuc").Text());
        Assert.Empty(on.QuerySelectorAll(".recovery-codes li"));

        using var next = NewBrowser(portal.Factory);
        using var password = await SignInAsync(next, userName);
        Assert.StartsWith("/dang-nhap/xac-thuc", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var second = await next.FollowAsync(password);

        using var wrong = await next.SubmitAsync(second, "#ma-xac-thuc", new Dictionary<string, string> { ["Code"] = Totp.NotACode(key) });
        Assert.Equal(SecondFactorPageModel.WrongCode, (await Html.ParseAsync(wrong)).QuerySelector("#code-error").Text());

        // The code that confirmed the app is spent, though still inside its 30 seconds.
        using var replayed = await next.SubmitAsync(second, "#ma-xac-thuc", new Dictionary<string, string> { ["Code"] = Totp.CodeForStep(key, step) });
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("đã được dùng", (await Html.ParseAsync(replayed)).QuerySelector(".error-summary").Text(), StringComparison.Ordinal);

        using var fresh = await next.SubmitAsync(second, "#ma-xac-thuc", new Dictionary<string, string> { ["Code"] = Totp.CodeForStep(key, step + 1) });
        var home = await next.FollowAsync(fresh);
        Assert.Equal("Người Thử Hai Bước", home.QuerySelector(".account .user-name").Text());

        Assert.Equal(["Bật"], await TwoFactorChangesAsync(portal.Services, id));
    }

    [Fact]
    public async Task The_api_takes_a_code_once_even_from_two_requests_racing_with_it()
    {
        var key = DemoAccountsSeeder.Base32(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var (_, userName) = await NewAccountAsync(portal.Services, AccountKind.Citizen, Roles.Citizen, totpKey: key);
        using var client = portal.CreateClient();
        var step = Totp.Step();
        var code = Totp.CodeForStep(key, step);

        var racing = await Task.WhenAll(RequestTokenAsync(client, userName, code), RequestTokenAsync(client, userName, code));
        using var again = await RequestTokenAsync(client, userName, code);
        using var next = await RequestTokenAsync(client, userName, Totp.CodeForStep(key, step + 1));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized], racing.Select(r => r.StatusCode).Order());
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        foreach (var response in racing)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_citizen_makes_new_recovery_codes_with_a_current_code_and_turns_two_factor_off_with_the_password()
    {
        var key = DemoAccountsSeeder.Base32(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var (id, userName) = await NewAccountAsync(portal.Services, AccountKind.Citizen, Roles.Citizen, totpKey: key);
        var oldCodes = await RecoveryCodesAsync(portal.Services, id);
        var step = Totp.Step();
        using var browser = NewBrowser(portal.Factory);
        await SignInWithCodeAsync(browser, userName, Totp.CodeForStep(key, step));

        var page = await browser.GetPageAsync(TwoFactorPage);
        Assert.Null(page.QuerySelector(".qr"));
        using var spent = await browser.SubmitAsync(page, "#tao-ma-khoi-phuc", new Dictionary<string, string> { ["Code"] = Totp.CodeForStep(key, step) });
        Assert.Contains("đã được dùng", (await Html.ParseAsync(spent)).QuerySelector("#code-error").Text(), StringComparison.Ordinal);
        using var made = await browser.SubmitAsync(page, "#tao-ma-khoi-phuc", new Dictionary<string, string> { ["Code"] = Totp.CodeForStep(key, step + 1) });
        var newCodes = (await Html.ParseAsync(made)).QuerySelectorAll(".recovery-codes li").Select(li => li.Text()).ToList();
        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(oldCodes));
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync((await users.FindByIdAsync(id.ToString()))!, oldCodes[0])).Succeeded);
        }

        page = await browser.GetPageAsync(TwoFactorPage);
        using var wrongPassword = await browser.SubmitAsync(page, "#tat-xac-thuc", new Dictionary<string, string> { ["OffPassword"] = "Mat-khau-SAI-999" });
        Assert.Contains("Mật khẩu không đúng", (await Html.ParseAsync(wrongPassword)).QuerySelector("#off-password-error").Text(), StringComparison.Ordinal);
        using var turnedOff = await browser.SubmitAsync(page, "#tat-xac-thuc", new Dictionary<string, string> { ["OffPassword"] = Password });
        var after = await browser.FollowAsync(turnedOff);
        Assert.Contains("Đã tắt xác thực hai bước", after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Contains("Đang tắt", after.QuerySelector("main").Text(), StringComparison.Ordinal);

        using var later = NewBrowser(portal.Factory);
        using var passwordOnly = await SignInAsync(later, userName);
        Assert.Equal("/", passwordOnly.Headers.Location?.OriginalString);
        Assert.Equal(["Tạo lại mã khôi phục", "Tắt"], await TwoFactorChangesAsync(portal.Services, id));
    }

    [Fact]
    public async Task Resetting_the_key_with_the_password_shows_a_new_key_and_ends_the_other_sessions()
    {
        _ = portal.Services;
        await using var strict = WithOfficerPage(portal.Factory);
        var key = DemoAccountsSeeder.Base32(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var (id, userName) = await NewAccountAsync(strict.Services, AccountKind.Citizen, Roles.Citizen, totpKey: key);
        var step = Totp.Step();
        using var browser = NewBrowser(strict);
        await SignInWithCodeAsync(browser, userName, Totp.CodeForStep(key, step));
        using var otherDevice = NewBrowser(strict);
        await SignInWithCodeAsync(otherDevice, userName, Totp.CodeForStep(key, step + 1));

        var page = await browser.GetPageAsync(TwoFactorPage);
        using var reset = await browser.SubmitAsync(page, "#dat-lai-khoa", new Dictionary<string, string> { ["ResetPassword"] = Password });
        var after = await browser.FollowAsync(reset);

        Assert.Contains("Đã tạo khóa xác thực mới", after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        var newKey = after.QuerySelector("#khoa").Text().Replace(" ", string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(key, newKey);
        Assert.NotNull(after.QuerySelector("form#bat"));
        using var signedOut = await otherDevice.GetAsync(new Uri("/tai-khoan/mat-khau", UriKind.Relative), Cancel);
        Assert.StartsWith("/dang-nhap", signedOut.Headers.Location?.AbsolutePath ?? signedOut.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(["Đặt lại khóa xác thực"], await TwoFactorChangesAsync(strict.Services, id));
    }

    [Fact]
    public async Task A_recovery_code_signs_an_officer_in_once_and_opens_the_back_office()
    {
        _ = portal.Services;
        await using var officers = WithOfficerPage(portal.Factory);
        var key = DemoAccountsSeeder.Base32(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
        var (id, userName) = await NewAccountAsync(officers.Services, AccountKind.Officer, Roles.Reception, totpKey: key);
        var recovery = (await RecoveryCodesAsync(officers.Services, id))[0];

        using var browser = NewBrowser(officers);
        using var password = await SignInAsync(browser, userName);
        var second = await browser.FollowAsync(password);
        var recoveryForm = await browser.GetPageAsync(second.QuerySelector("a[href*='cach=ma-khoi-phuc']")!.GetAttribute("href")!);
        Assert.Equal("Dùng mã khôi phục", second.QuerySelector("a[href*='cach=ma-khoi-phuc']").Text());
        // Typed the way people do: lower case, without the dash.
        using var used = await browser.SubmitAsync(recoveryForm, "#ma-khoi-phuc", new Dictionary<string, string> { ["RecoveryCode"] = recovery.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant() });
        Assert.StartsWith(TwoFactorPage, used.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var status = await browser.FollowAsync(used);
        Assert.Contains("mã khôi phục", status.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Equal("9", status.QuerySelector("#so-ma-khoi-phuc").Text());

        // Every request re-checks the session against the database here; the second factor must survive it.
        Assert.Equal("Trang cán bộ", await browser.GetStringAsync(new Uri(OfficerPageProbe.Path, UriKind.Relative), Cancel));
        Assert.Equal("Trang cán bộ", await browser.GetStringAsync(new Uri(OfficerPageProbe.Path, UriKind.Relative), Cancel));

        using var other = NewBrowser(officers);
        using var otherPassword = await SignInAsync(other, userName);
        var otherSecond = await other.FollowAsync(otherPassword);
        var otherForm = await other.GetPageAsync(otherSecond.QuerySelector("a[href*='cach=ma-khoi-phuc']")!.GetAttribute("href")!);
        using var again = await other.SubmitAsync(otherForm, "#ma-khoi-phuc", new Dictionary<string, string> { ["RecoveryCode"] = recovery });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(SecondFactorPageModel.WrongRecoveryCode, (await Html.ParseAsync(again)).QuerySelector("#recovery-code-error").Text());

        using var scope = officers.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(
            [AuditKind.SignIn, AuditKind.SecondFactorFailed],
            await db.AuditEvents.Where(e => e.UserId == id && e.Detail == "mã khôi phục").OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync(Cancel));
    }

    [Fact]
    public async Task An_officer_without_two_factor_enrols_before_the_back_office_and_cannot_turn_it_off()
    {
        _ = portal.Services;
        await using var officers = WithOfficerPage(portal.Factory);
        var (id, userName) = await NewAccountAsync(officers.Services, AccountKind.Officer, Roles.Reception);
        using var browser = NewBrowser(officers);

        using var signedIn = await SignInAsync(browser, userName);
        Assert.StartsWith(TwoFactorPage, signedIn.Headers.Location?.OriginalString, StringComparison.Ordinal);
        using var refused = await browser.GetAsync(new Uri(OfficerPageProbe.Path, UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith(TwoFactorPage, refused.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var enrol = await browser.FollowAsync(refused);
        Assert.Equal(TwoFactorPageModel.RequiredNotice, enrol.QuerySelector("#bat-buoc").Text());
        var key = enrol.QuerySelector("#khoa").Text().Replace(" ", string.Empty, StringComparison.Ordinal);
        using var enabled = await browser.SubmitAsync(enrol, "#bat", new Dictionary<string, string> { ["Code"] = Totp.Code(key) });
        var codes = await Html.ParseAsync(enabled);
        Assert.Equal(10, codes.QuerySelectorAll(".recovery-codes li").Length);
        // Back to where the officer was going, without signing in again.
        Assert.Equal(OfficerPageProbe.Path, codes.QuerySelector(".recovery-codes ~ p a")?.GetAttribute("href"));
        Assert.Equal("Trang cán bộ", await browser.GetStringAsync(new Uri(OfficerPageProbe.Path, UriKind.Relative), Cancel));
        Assert.Equal("Trang cán bộ", await browser.GetStringAsync(new Uri(OfficerPageProbe.Path, UriKind.Relative), Cancel));

        var on = await browser.GetPageAsync(TwoFactorPage);
        Assert.Null(on.QuerySelector("#tat-xac-thuc"));
        Assert.StartsWith(TwoFactorPageModel.CannotTurnOff, on.QuerySelector("#khong-tat-duoc").Text(), StringComparison.Ordinal);
        // Posting the form anyway changes nothing.
        using var forged = await PostHandlerAsync(browser, on, "Disable", new() { ["OffPassword"] = Password });
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Contains(TwoFactorPageModel.CannotTurnOff, (await Html.ParseAsync(forged)).QuerySelector(".error-summary").Text(), StringComparison.Ordinal);
        using (var scope = officers.Services.CreateScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(id.ToString()))!.TwoFactorEnabled);
        }

        Assert.Equal(["Bật"], await TwoFactorChangesAsync(officers.Services, id));
    }

    private static HttpClient NewBrowser(WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string userName)
    {
        var page = await browser.GetPageAsync("/dang-nhap");
        return await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Login"] = userName, ["Password"] = Password });
    }

    private static async Task SignInWithCodeAsync(HttpClient browser, string userName, string code)
    {
        using var password = await SignInAsync(browser, userName);
        var second = await browser.FollowAsync(password);
        using var done = await browser.SubmitAsync(second, "#ma-xac-thuc", new Dictionary<string, string> { ["Code"] = code });
        Assert.Equal("/", done.Headers.Location?.OriginalString);
    }

    private static async Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string userName, string otp) =>
        await client.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative), new { userName, password = Password, otp }, Cancel);

    /// <summary>Posts to a page handler whose form is not on the page, with the page's form token.</summary>
    private static async Task<HttpResponseMessage> PostHandlerAsync(HttpClient browser, IDocument page, string handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new FormUrlEncodedContent(fields);
        return await browser.PostAsync(new Uri(TwoFactorPage + "?handler=" + handler, UriKind.Relative), content, Cancel);
    }

    private static async Task<(Guid Id, string UserName)> NewAccountAsync(IServiceProvider services, AccountKind kind, string role, string? totpKey = null)
    {
        var userName = "haibuoc." + Guid.NewGuid().ToString("N")[..8];
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = userName, FullName = "Người Thử Hai Bước", Kind = kind, LockoutEnabled = true };
        if (kind == AccountKind.Officer)
        {
            var agency = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Agencies.Select(a => a.Id).FirstAsync(Cancel);
            user.Agencies.Add(new UserAgency { AgencyId = agency });
        }

        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        if (totpKey is not null)
        {
            await ((IUserAuthenticatorKeyStore<AppUser>)scope.ServiceProvider.GetRequiredService<IUserStore<AppUser>>()).SetAuthenticatorKeyAsync(user, totpKey, Cancel);
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        }

        return (user.Id, userName);
    }

    private static async Task<List<string>> RecoveryCodesAsync(IServiceProvider services, Guid id)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(id.ToString()))!, 10))!];
    }

    private static async Task<List<string?>> TwoFactorChangesAsync(IServiceProvider services, Guid id)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditEvents.Where(e => e.UserId == id && e.Kind == AuditKind.TwoFactorChanged).OrderBy(e => e.Id).Select(e => e.Detail).ToListAsync(Cancel);
    }

    /// <summary>
    /// The same portal and database with a page behind the officer policy (none is built yet), and every session
    /// re-checked against the database (security stamp) on every request, as production does once a minute.
    /// </summary>
    private static WebApplicationFactory<Program> WithOfficerPage(WebApplicationFactory<Program> factory) =>
        factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddTransient<IStartupFilter, OfficerPageProbe>();
            s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        }));

    /// <summary>Answers <see cref="Path"/> the way the authorization middleware would for a page with the officer policy.</summary>
    private sealed class OfficerPageProbe : IStartupFilter
    {
        public const string Path = "/kiem-thu/trang-can-bo";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, rest) =>
            {
                if (context.Request.Path != Path)
                {
                    await rest(context);
                    return;
                }

                var authenticated = await context.AuthenticateAsync();
                if (authenticated.Succeeded)
                {
                    context.User = authenticated.Principal;
                }

                var policy = (await context.RequestServices.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(Policies.Officer))!;
                var evaluator = context.RequestServices.GetRequiredService<IPolicyEvaluator>();
                var result = await evaluator.AuthorizeAsync(policy, await evaluator.AuthenticateAsync(policy, context), context, resource: null);
                if (result.Challenged)
                {
                    await context.ChallengeAsync();
                }
                else if (result.Forbidden)
                {
                    await context.ForbidAsync();
                }
                else
                {
                    await context.Response.WriteAsync("Trang cán bộ", context.RequestAborted);
                }
            });
            next(app);
        };
    }
}

[Collection(SqliteCollection.Name)]
public sealed class TwoFactorTestsOnSqlite(SqlitePortal portal) : TwoFactorTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class TwoFactorTestsOnPostgreSql(PostgresPortal portal) : TwoFactorTests(portal);
