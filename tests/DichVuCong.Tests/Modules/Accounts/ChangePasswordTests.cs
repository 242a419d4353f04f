using System.Net;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

public abstract class ChangePasswordTests(PortalFixture portal)
{
    private async Task<(HttpClient Browser, string UserName)> SignedInNewCitizenAsync(string password)
    {
        var userName = "doimk." + Guid.NewGuid().ToString("N")[..8];
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.CreateAsync(new AppUser { UserName = userName, FullName = "Người Đổi Mật Khẩu", Kind = AccountKind.Citizen }, password)).Succeeded);
        }

        var browser = portal.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await browser.GetPageAsync("/dang-nhap");
        using var signedIn = await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Login"] = userName, ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (browser, userName);
    }

    [Fact]
    public async Task After_a_change_only_the_new_password_signs_in()
    {
        var (browser, userName) = await SignedInNewCitizenAsync("Mat-khau-cu-123");
        using var _ = browser;

        var page = await browser.GetPageAsync("/tai-khoan/mat-khau");
        using var changed = await browser.SubmitAsync(page, "#doi-mat-khau", new Dictionary<string, string> { ["Current"] = "Mat-khau-cu-123", ["New"] = "Mat-khau-moi-456", ["Confirm"] = "Mat-khau-moi-456" });
        var after = await browser.FollowAsync(changed);
        Assert.Contains("Đã đổi mật khẩu", after.QuerySelector(".notice").Text(), StringComparison.Ordinal);

        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByNameAsync(userName);
        Assert.False(await users.CheckPasswordAsync(user!, "Mat-khau-cu-123"));
        Assert.True(await users.CheckPasswordAsync(user!, "Mat-khau-moi-456"));
        var db = scope.ServiceProvider.GetRequiredService<DichVuCong.Web.Common.Persistence.AppDbContext>();
        Assert.Contains(db.AuditEvents.Where(e => e.UserId == user!.Id).Select(e => e.Kind), k => k == AuditKind.PasswordChanged);
    }

    [Fact]
    public async Task A_wrong_current_password_a_weak_one_or_a_mismatch_is_explained_in_vietnamese()
    {
        var (browser, _) = await SignedInNewCitizenAsync("Mat-khau-cu-123");
        using var _b = browser;
        var page = await browser.GetPageAsync("/tai-khoan/mat-khau");

        using var wrong = await browser.SubmitAsync(page, "#doi-mat-khau", new Dictionary<string, string> { ["Current"] = "sai", ["New"] = "Mat-khau-moi-456", ["Confirm"] = "Mat-khau-moi-456" });
        Assert.Equal("Mật khẩu hiện tại không đúng.", (await Html.ParseAsync(wrong)).QuerySelector("#current-error").Text());

        using var weak = await browser.SubmitAsync(page, "#doi-mat-khau", new Dictionary<string, string> { ["Current"] = "Mat-khau-cu-123", ["New"] = "ngan", ["Confirm"] = "ngan" });
        Assert.Equal("Mật khẩu cần ít nhất 10 ký tự.", (await Html.ParseAsync(weak)).QuerySelector("#new-error").Text());

        using var mismatch = await browser.SubmitAsync(page, "#doi-mat-khau", new Dictionary<string, string> { ["Current"] = "Mat-khau-cu-123", ["New"] = "Mat-khau-moi-456", ["Confirm"] = "Mat-khau-khac-789" });
        Assert.Equal("Mật khẩu nhập lại không khớp với mật khẩu mới", (await Html.ParseAsync(mismatch)).QuerySelector("#confirm-error").Text());
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_this_session_and_renews_the_security_stamp()
    {
        var (browser, userName) = await SignedInNewCitizenAsync("Mat-khau-cu-123");
        using var _ = browser;
        string? before;
        using (var scope = portal.Services.CreateScope())
        {
            before = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName))!.SecurityStamp;
        }

        var page = await browser.GetPageAsync("/tai-khoan/mat-khau");
        using var done = await browser.SubmitAsync(page, "#dang-xuat-moi-noi", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        using var again = await browser.GetAsync(new Uri("/tai-khoan/mat-khau", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/dang-nhap", again.Headers.Location?.AbsolutePath ?? again.Headers.Location?.OriginalString, StringComparison.Ordinal);
        using var check = portal.Services.CreateScope();
        Assert.NotEqual(before, (await check.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName))!.SecurityStamp);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ChangePasswordTestsOnSqlite(SqlitePortal portal) : ChangePasswordTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class ChangePasswordTestsOnPostgreSql(PostgresPortal portal) : ChangePasswordTests(portal);
