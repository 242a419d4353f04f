using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

public abstract class TokenTests(PortalFixture portal)
{
    private static async Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, object body) =>
        await client.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative), body);

    [Fact]
    public async Task A_token_from_user_name_and_password_authorizes_api_calls()
    {
        using var client = portal.CreateClient();

        using var issued = await RequestTokenAsync(client, new { userName = "demo.congdan", password = PortalFactory.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = await issued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3600, token.GetProperty("expiresIn").GetInt32());

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        using var me = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("demo.congdan", body.GetProperty("userName").GetString());
        Assert.Equal("Nguyễn Văn An", body.GetProperty("fullName").GetString());
    }

    [Fact]
    public async Task Without_a_token_or_with_a_forged_one_the_api_answers_401()
    {
        using var client = portal.CreateClient();
        using var none = await client.GetAsync(new Uri("/api/v1/me", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "gia-mao");
        using var forged = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task An_officer_needs_the_authenticator_code_for_a_token_and_bad_credentials_get_problem_details()
    {
        using var client = portal.CreateClient();

        using var withoutCode = await RequestTokenAsync(client, new { userName = "demo.lanhdao", password = PortalFactory.DemoPassword });
        using var withCode = await RequestTokenAsync(client, new { userName = "demo.lanhdao", password = PortalFactory.DemoPassword, otp = await Totp.UnusedCodeAsync(portal, "demo.lanhdao") });
        using var wrong = await RequestTokenAsync(client, new { userName = "khong.co.ai", password = "sai-mat-khau" });

        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            (await withoutCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(),
            (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Guessing_authenticator_codes_through_the_api_locks_the_account()
    {
        var userName = "canbo." + Guid.NewGuid().ToString("N")[..8];
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var officer = new AppUser { UserName = userName, FullName = "Cán Bộ Thử", Kind = AccountKind.Officer };
            Assert.True((await users.CreateAsync(officer, "Mat-khau-dung-123")).Succeeded);
            await ((IUserAuthenticatorKeyStore<AppUser>)scope.ServiceProvider.GetRequiredService<IUserStore<AppUser>>())
                .SetAuthenticatorKeyAsync(officer, PortalFactory.DemoTotpSecret, TestContext.Current.CancellationToken);
            Assert.True((await users.SetTwoFactorEnabledAsync(officer, true)).Succeeded);
        }

        using var client = portal.CreateClient();
        var right = Totp.Code(PortalFactory.DemoTotpSecret);
        var wrongCode = Totp.NotACode(PortalFactory.DemoTotpSecret);
        for (var i = 0; i < 5; i++)
        {
            using var guess = await RequestTokenAsync(client, new { userName, password = "Mat-khau-dung-123", otp = wrongCode });
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using var afterLockout = await RequestTokenAsync(client, new { userName, password = "Mat-khau-dung-123", otp = right });
        Assert.Equal(HttpStatusCode.Unauthorized, afterLockout.StatusCode);
    }

    [Fact]
    public async Task The_token_endpoint_is_in_the_openapi_document()
    {
        using var client = portal.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/auth/token", out var token));
        Assert.True(token.TryGetProperty("post", out _));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class TokenTestsOnSqlite(SqlitePortal portal) : TokenTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class TokenTestsOnPostgreSql(PostgresPortal portal) : TokenTests(portal);
