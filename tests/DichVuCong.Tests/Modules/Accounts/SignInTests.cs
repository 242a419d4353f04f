using System.Net;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Accounts.SignIn;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

public abstract class SignInTests(PortalFixture portal)
{
    private HttpClient NewBrowser() => portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string login, string password, string? returnUrl = null)
    {
        var page = await browser.GetPageAsync("/dang-nhap" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        return await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Login"] = login, ["Password"] = password });
    }

    private async Task<HttpClient> SignedInOfficerAsync(string userName)
    {
        var browser = NewBrowser();
        using var password = await SignInAsync(browser, userName, PortalFactory.DemoPassword);
        var second = await browser.FollowAsync(password);
        using var done = await browser.SubmitAsync(second, "main form", new Dictionary<string, string> { ["Code"] = await Totp.UnusedCodeAsync(portal, userName) });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        return browser;
    }

    [Theory]
    [InlineData("demo.congdan")]
    [InlineData("036095001234")]
    [InlineData("demo.congdan@example.vn")]
    [InlineData("0912 345 678")]
    public async Task A_citizen_signs_in_with_user_name_cccd_email_or_phone_and_sees_their_name(string login)
    {
        _ = portal.Services;
        using var browser = NewBrowser();

        using var response = await SignInAsync(browser, login, PortalFactory.DemoPassword);
        var home = await browser.FollowAsync(response);

        Assert.Equal("Nguyễn Văn An", home.QuerySelector(".account .user-name").Text());
        Assert.NotNull(home.QuerySelector(".account form[action='/dang-xuat'] input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_account_get_the_same_message_and_keep_what_was_typed()
    {
        _ = portal.Services;
        using var browser = NewBrowser();

        using var wrong = await SignInAsync(browser, "demo.congdan", "sai-mat-khau-1");
        var wrongPage = await Html.ParseAsync(wrong);
        using var unknown = await SignInAsync(browser, "khong.ton.tai", "sai-mat-khau-1");
        var unknownPage = await Html.ParseAsync(unknown);

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(SignInPageModel.Failed, wrongPage.QuerySelector(".error-summary li").Text());
        Assert.Equal(SignInPageModel.Failed, unknownPage.QuerySelector(".error-summary li").Text());
        Assert.Equal("demo.congdan", wrongPage.QuerySelector("input#login")?.GetAttribute("value"));
        Assert.Null(wrongPage.QuerySelector(".account .user-name"));
    }

    [Fact]
    public async Task An_empty_form_says_what_to_fill_in()
    {
        _ = portal.Services;
        using var browser = NewBrowser();

        using var response = await SignInAsync(browser, "", "");
        var page = await Html.ParseAsync(response);

        var messages = page.QuerySelectorAll(".error-summary li").Select(l => l.Text()).ToList();
        Assert.Contains("Nhập tên đăng nhập, số CCCD, email hoặc số điện thoại", messages);
        Assert.Contains("Nhập mật khẩu", messages);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var userName = "khoa." + Guid.NewGuid().ToString("N")[..8];
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.CreateAsync(new AppUser { UserName = userName, FullName = "Người Thử Khóa", Kind = AccountKind.Citizen }, "Mat-khau-dung-123")).Succeeded);
        }

        using var browser = NewBrowser();
        for (var i = 0; i < 5; i++)
        {
            using var _ = await SignInAsync(browser, userName, "sai-mat-khau-" + i);
        }

        using var right = await SignInAsync(browser, userName, "Mat-khau-dung-123");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(SignInPageModel.Failed, (await Html.ParseAsync(right)).QuerySelector(".error-summary li").Text());
    }

    [Fact]
    public async Task Sign_ins_and_failures_are_audited_without_what_was_typed()
    {
        var userName = "kiemtoan." + Guid.NewGuid().ToString("N")[..8];
        Guid id;
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = userName, FullName = "Người Thử Kiểm Toán", Kind = AccountKind.Citizen };
            Assert.True((await users.CreateAsync(user, "Mat-khau-dung-123")).Succeeded);
            id = user.Id;
        }

        using var browser = NewBrowser();
        using (var _ = await SignInAsync(browser, userName, "Mat-khau-SAI-999"))
        {
        }

        using (var _ = await SignInAsync(browser, userName, "Mat-khau-dung-123"))
        {
        }

        using var check = portal.Services.CreateScope();
        var db = check.ServiceProvider.GetRequiredService<DichVuCong.Web.Common.Persistence.AppDbContext>();
        var events = await db.AuditEvents.Where(e => e.UserId == id).OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([AuditKind.SignInFailed, AuditKind.SignIn], events.Select(e => e.Kind));
        Assert.DoesNotContain(await db.AuditEvents.Select(e => e.Detail).ToListAsync(TestContext.Current.CancellationToken), d => d != null && d.Contains("Mat-khau", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_officer_needs_the_authenticator_code_after_the_password()
    {
        _ = portal.Services;
        using var browser = NewBrowser();

        using var password = await SignInAsync(browser, "demo.tiepnhan", PortalFactory.DemoPassword);
        Assert.StartsWith("/dang-nhap/xac-thuc", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var second = await browser.FollowAsync(password);
        using var wrong = await browser.SubmitAsync(second, "main form", new Dictionary<string, string> { ["Code"] = Totp.NotACode(PortalFactory.DemoTotpSecret) });
        Assert.Contains("Mã xác thực không đúng", (await Html.ParseAsync(wrong)).QuerySelector(".error-summary").Text(), StringComparison.Ordinal);
        using var right = await browser.SubmitAsync(second, "main form", new Dictionary<string, string> { ["Code"] = await Totp.UnusedCodeAsync(portal, "demo.tiepnhan") });
        var home = await browser.FollowAsync(right);

        Assert.Equal("Trần Thị Bình", home.QuerySelector(".account .user-name").Text());
    }

    [Fact]
    public async Task Only_a_system_administrator_signed_in_with_two_factors_opens_the_sent_messages()
    {
        _ = portal.Services;
        using var anonymous = NewBrowser();
        using var toSignIn = await anonymous.GetAsync(new Uri("/quan-tri/thu-da-gui", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith("/dang-nhap", toSignIn.Headers.Location?.AbsolutePath ?? toSignIn.Headers.Location?.OriginalString, StringComparison.Ordinal);

        using var citizen = NewBrowser();
        using (var _ = await SignInAsync(citizen, "demo.congdan", PortalFactory.DemoPassword))
        {
        }

        using var denied = await citizen.GetAsync(new Uri("/quan-tri/thu-da-gui", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/khong-co-quyen", denied.Headers.Location?.AbsolutePath ?? denied.Headers.Location?.OriginalString, StringComparison.Ordinal);

        using var officer = await SignedInOfficerAsync("demo.chuyenvien");
        using var officerDenied = await officer.GetAsync(new Uri("/quan-tri/thu-da-gui", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, officerDenied.StatusCode);

        using var admin = await SignedInOfficerAsync("demo.quantri");
        var list = await admin.GetPageAsync("/quan-tri/thu-da-gui");
        Assert.Equal("Thư và tin nhắn đã gửi", list.QuerySelector("h1").Text());
    }

    [Fact]
    public async Task Signing_out_ends_the_session_and_needs_the_form_token()
    {
        _ = portal.Services;
        using var browser = NewBrowser();
        using (var _ = await SignInAsync(browser, "demo.congdan", PortalFactory.DemoPassword))
        {
        }

        using var forged = await browser.PostAsync(new Uri("/dang-xuat", UriKind.Relative), new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var home = await browser.GetPageAsync("/ho-so-cua-toi");
        using var signedOut = await browser.SubmitAsync(home, ".account form", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        var after = await browser.GetPageAsync("/");
        Assert.Null(after.QuerySelector(".account .user-name"));
        Assert.NotNull(after.QuerySelector(".account a[href='/dang-nhap']"));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SignInTestsOnSqlite(SqlitePortal portal) : SignInTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class SignInTestsOnPostgreSql(PostgresPortal portal) : SignInTests(portal);
