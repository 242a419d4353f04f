using System.Net;
using DichVuCong.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DichVuCong.Tests.Modules.Accounts;

/// <summary>Posts to sign-in, registration, password reset and code checks are limited per address; reading the forms is not.</summary>
public sealed class RateLimitTests
{
    [Theory]
    [InlineData("/dang-nhap", "main form", "RateLimits:SignInPerMinute")]
    [InlineData("/dang-ky/cong-dan", "#dang-ky", "RateLimits:RegisterPerMinute")]
    [InlineData("/quen-mat-khau", "#quen-mat-khau", "RateLimits:RegisterPerMinute")]
    public async Task The_fourth_post_in_a_minute_from_one_address_is_turned_away_in_vietnamese(string path, string form, string setting)
    {
        await using var portal = new PortalFactory(
            Web.Common.Persistence.DatabaseProvider.Sqlite,
            PortalFactory.NewSqliteConnectionString(),
            new Dictionary<string, string?> { [setting] = "3" });
        using var browser = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var page = await browser.GetPageAsync(path);
            using var response = await browser.SubmitAsync(page, form, new Dictionary<string, string> { ["Login"] = "khong.ai", ["Password"] = "sai-mat-khau" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("Bạn đã thử quá nhiều lần", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses[..3]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
        // Reading the form is still allowed, so the person sees where they are.
        await browser.GetPageAsync(path);
    }

    [Fact]
    public async Task Code_checks_are_limited_too()
    {
        await using var portal = new PortalFactory(
            Web.Common.Persistence.DatabaseProvider.Sqlite,
            PortalFactory.NewSqliteConnectionString(),
            new Dictionary<string, string?> { ["RateLimits:OtpPerMinute"] = "3" });
        using var browser = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var register = await browser.GetPageAsync("/dang-ky/cong-dan");
        using var registered = await browser.SubmitAsync(register, "#dang-ky", NewCitizen.Make().Form());
        var verify = await browser.FollowAsync(registered);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await browser.SubmitAsync(verify, "#xac-minh-email", new Dictionary<string, string> { ["Code"] = "000000" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
