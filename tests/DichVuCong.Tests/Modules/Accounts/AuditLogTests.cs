using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Accounts.ReviewAudit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

public abstract class AuditLogTests(PortalFixture portal)
{
    [Fact]
    public async Task A_system_admin_reads_an_accounts_failed_and_successful_sign_ins_and_filters_by_kind()
    {
        var (commune, _) = await BackOffice.CommunesAsync(portal.Services);
        var (_, email, name) = await BackOffice.CreateOfficerAsync(portal.Services, commune, Roles.Reception, "Mat-khau-dung-1");
        using (var stranger = BackOffice.Browser(portal.Factory))
        {
            using var wrong = await BackOffice.SignInAsync(stranger, email, "Mat-khau-sai-99");
            using var right = await BackOffice.SignInAsync(stranger, email, "Mat-khau-dung-1");
        }

        using var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantri");
        var home = await admin.GetPageAsync("/quan-tri");
        Assert.NotNull(home.QuerySelector("a[href='/quan-tri/nhat-ky']"));

        var page = await admin.GetPageAsync($"/quan-tri/nhat-ky?tai-khoan={Uri.EscapeDataString(email)}");
        var rows = page.QuerySelectorAll("#nhat-ky tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.Text()).ToList()).ToList();
        // Newest first: the sign-in, then the failure; both name the account, done by its owner.
        Assert.Equal(["Đăng nhập", "Đăng nhập không thành công"], rows.Select(r => r[1]).ToList());
        Assert.All(rows, r => Assert.Equal($"{name} ({email})", r[2]));
        Assert.All(rows, r => Assert.Equal("Chính chủ", r[3]));
        Assert.Matches(@"^\d{2}:\d{2} \d{2}/\d{2}/\d{4}$", rows[0][0]);
        Assert.DoesNotContain("Mat-khau", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        var failures = await admin.GetPageAsync($"/quan-tri/nhat-ky?tai-khoan={Uri.EscapeDataString(email)}&loai={AuditKind.SignInFailed}");
        Assert.Equal(["Đăng nhập không thành công"], failures.QuerySelectorAll("#nhat-ky tbody tr td:nth-child(2)").Select(c => c.Text()).ToList());
        Assert.Equal(AuditKind.SignInFailed.ToString(), failures.QuerySelector("#loai option[selected]")?.GetAttribute("value"));

        var nobody = await admin.GetPageAsync("/quan-tri/nhat-ky?tai-khoan=khong.ai.ca");
        Assert.Contains("Không có tài khoản nào đăng nhập bằng “khong.ai.ca”", nobody.QuerySelector("#khong-co").Text(), StringComparison.Ordinal);
        Assert.Equal("khong.ai.ca", nobody.QuerySelector("#tai-khoan")?.GetAttribute("value"));
    }

    [Theory]
    [InlineData("demo.congdan")]
    [InlineData("demo.quantridonvi")]
    public async Task Only_system_administrators_open_the_account_log(string login)
    {
        using var user = await BackOffice.SignedInAsync(portal.Factory, login);
        using var response = await user.GetAsync(new Uri("/quan-tri/nhat-ky", UriKind.Relative));
        Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(response));
    }

    [Fact]
    public async Task Events_older_than_the_retention_are_deleted_and_newer_ones_kept()
    {
        var cancel = TestContext.Current.CancellationToken;
        var marker = "kiem-thu-luu-giu-" + Guid.NewGuid().ToString("N");
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.AuditEvents.Add(new AuditEvent { At = DateTime.UtcNow.AddDays(-731), Kind = AuditKind.SignIn, Detail = marker + "-cu" });
            db.AuditEvents.Add(new AuditEvent { At = DateTime.UtcNow.AddDays(-729), Kind = AuditKind.SignIn, Detail = marker + "-moi" });
            await db.SaveChangesAsync(cancel);
        }

        var deleted = await ActivatorUtilities.CreateInstance<AuditRetention>(portal.Services).RunOnceAsync(cancel);

        Assert.True(deleted >= 1);
        using var check = portal.Services.CreateScope();
        var left = await check.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .Where(e => e.Detail != null && e.Detail.StartsWith(marker)).Select(e => e.Detail).ToListAsync(cancel);
        Assert.Equal([marker + "-moi"], left);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AuditLogTestsOnSqlite(SqlitePortal portal) : AuditLogTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class AuditLogTestsOnPostgreSql(PostgresPortal portal) : AuditLogTests(portal);
