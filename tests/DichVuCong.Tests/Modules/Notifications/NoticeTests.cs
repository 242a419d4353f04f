using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Notifications;

/// <summary>
/// What the applicant is told at each change of their dossier: every template filled with a real dossier's data,
/// the three channels written with the change, the notification centre and its unread count, and an
/// administrator's edit taking effect (and being undone).
/// </summary>
public abstract class NoticeTests(PortalFixture portal)
{
    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_template_renders_with_a_real_dossiers_data()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant, fullName: "Lê Thị Thông Báo");
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var dossier = await db.Dossiers.AsNoTracking().SingleAsync(d => d.Id == id, Cancel);
        var catalog = await scope.ServiceProvider.GetRequiredService<CatalogIndex>().GetAsync(Cancel);
        var procedure = catalog.Procedures.Single(p => p.Id == dossier.ProcedureId).Name;
        var agency = catalog.Agencies.Find(dossier.AgencyId)!.Name;
        var to = await DossierProcessing.ApplicantAsync(db, applicant.Id, Cancel);
        var due = new DateTime(2026, 12, 10, 10, 0, 0, DateTimeKind.Utc); // 17:00 10/12/2026 in Vietnam
        var facts = new NoticeFacts(id, code, procedure, agency, dossier.SubmittedAt!.Value, due, "Thiếu chữ ký của người đi đăng ký", ["Giấy chứng sinh (bản chính)"], "Chụp rõ hai mặt", 8_000, "EB123456789VN");
        var templates = await scope.ServiceProvider.GetRequiredService<NoticeTemplates>().AllAsync(db, Cancel);

        Assert.Equal(Enum.GetValues<NoticeKind>().Length, templates.Count);
        foreach (var (kind, template) in templates)
        {
            var (subject, email, sms, inApp) = NoticeTemplates.Render(template, to, facts);
            foreach (var text in new[] { subject, email, sms, inApp })
            {
                Assert.Contains(code, text, StringComparison.Ordinal);
                Assert.DoesNotMatch(@"\{[a-z_]+\}", text);
            }

            Assert.StartsWith("Xin chào Đỗ Thị Hồ Sơ", email, StringComparison.Ordinal); // the account holder, by name
            Assert.Contains(procedure, email, StringComparison.Ordinal);
            Assert.InRange(sms.Length, 1, 160);
            Assert.All(sms, c => Assert.InRange(c, ' ', '~'));
            switch (kind)
            {
                case NoticeKind.Received or NoticeKind.Rescheduled:
                    Assert.Contains("10/12/2026", email, StringComparison.Ordinal);
                    Assert.Contains("10/12/2026", sms, StringComparison.Ordinal);
                    break;
                case NoticeKind.SupplementRequested:
                    Assert.Contains("- Giấy chứng sinh (bản chính)", email, StringComparison.Ordinal);
                    Assert.Contains("Chụp rõ hai mặt", email, StringComparison.Ordinal);
                    break;
                case NoticeKind.Refused or NoticeKind.Stopped:
                    Assert.Contains("Thiếu chữ ký của người đi đăng ký", email, StringComparison.Ordinal);
                    break;
                case NoticeKind.AwaitingPayment:
                    Assert.Contains("8.000 đ", email, StringComparison.Ordinal);
                    Assert.Contains("8.000 d", sms, StringComparison.Ordinal);
                    break;
                case NoticeKind.Submitted:
                    Assert.Contains(agency, email, StringComparison.Ordinal);
                    break;
                case NoticeKind.ResultPosted:
                    Assert.Contains("EB123456789VN", email, StringComparison.Ordinal);
                    Assert.Contains("EB123456789VN", sms, StringComparison.Ordinal);
                    Assert.Contains("EB123456789VN", inApp, StringComparison.Ordinal);
                    break;
            }
        }
    }

    [Fact]
    public async Task Each_change_reaches_the_applicant_by_email_sms_and_the_notification_centre_and_only_them()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var other = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Assert.True((await desk.ActAsync(clock, reception, id, WorkflowAction.Receive)).Kind == OutcomeKind.Done);
        clock.Advance(TimeSpan.FromHours(1));
        var specialist = await desk.OfficerAsync(a, Roles.Specialist);
        var asked = await desk.ActAsync(clock, specialist, id, WorkflowAction.RequestSupplement, new ActionInput { Missing = ["Giấy chứng sinh"], Note = "Ảnh mờ" });
        Assert.True(asked.Kind == OutcomeKind.Done, asked.Message);

        // E-mail and SMS, tied to the dossier so officers can see them.
        var mail = await desk.MessagesAsync(applicant.Email);
        var texts = await desk.MessagesAsync(applicant.Phone);
        foreach (var purpose in new[] { "ho-so-receive", "ho-so-request-supplement" })
        {
            Assert.Equal(id, mail.Single(m => m.Purpose == purpose).DossierId);
            Assert.Equal(id, texts.Single(m => m.Purpose == purpose).DossierId);
        }

        Assert.Contains("Giấy chứng sinh", mail.Single(m => m.Purpose == "ho-so-request-supplement").Body, StringComparison.Ordinal);

        // In the account: two unread messages, shown in the header and the centre.
        using var citizen = await BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);
        var centre = await citizen.GetPageAsync("/thong-bao");
        Assert.Equal("Thông báo 2", Squash(centre.QuerySelector("#thong-bao-dau-trang").Text()));
        Assert.Equal("Bạn có 2 thông báo chưa đọc.", centre.QuerySelector("#so-chua-doc").Text());
        var items = centre.QuerySelectorAll("#thong-bao li").ToList();
        Assert.Equal(2, items.Count);
        Assert.Contains($"Hồ sơ {code} cần bổ sung", items[0].Text(), StringComparison.Ordinal);
        Assert.Contains($"Đã tiếp nhận hồ sơ {code}", items[1].Text(), StringComparison.Ordinal);
        Assert.Contains("Ngày hẹn trả kết quả", items[1].Text(), StringComparison.Ordinal);

        // Opening one (a POST: it changes the unread count) marks it read and leads to the dossier; another person cannot open it.
        var first = Guid.Parse(items[0].QuerySelector("form")!.Id!["mo-".Length..]);
        using (var stranger = await BackOffice.SignedInAsync(portal.Factory, other.UserName, other.Password))
        {
            using var refused = await stranger.PostAsync(new Uri($"/api/v1/notifications/{first}/read", UriKind.Relative), null, Cancel);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            var theirs = await stranger.GetFromJsonAsync<JsonElement>("/api/v1/notifications", Cancel);
            Assert.Equal(0, theirs.GetProperty("total").GetInt32());
            Assert.Null((await stranger.GetPageAsync("/thong-bao")).QuerySelector("#thong-bao-dau-trang .tag"));
        }

        using (var peeked = await citizen.GetAsync(new Uri($"/thong-bao/{first}", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, peeked.StatusCode); // a GET (a link preview, a prefetch) changes nothing
        }

        Assert.Equal(2, (await citizen.GetFromJsonAsync<JsonElement>("/api/v1/notifications", Cancel)).GetProperty("unread").GetInt32());
        using (var opened = await citizen.SubmitAsync(centre, $"#mo-{first}", new Dictionary<string, string>()))
        {
            Assert.Equal($"/ho-so-cua-toi/{id}", BackOffice.RedirectPath(opened));
        }

        var api = await citizen.GetFromJsonAsync<JsonElement>("/api/v1/notifications", Cancel);
        Assert.Equal(1, api.GetProperty("unread").GetInt32());
        Assert.Equal(2, api.GetProperty("total").GetInt32());
        Assert.Equal(id, api.GetProperty("items")[0].GetProperty("dossierId").GetGuid());

        // "Đánh dấu tất cả đã đọc" empties the count.
        centre = await citizen.GetPageAsync("/thong-bao");
        using (var all = await citizen.SubmitAsync(centre, "#doc-het", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Redirect, all.StatusCode);
        }

        centre = await citizen.GetPageAsync("/thong-bao");
        Assert.Equal("Bạn đã đọc hết thông báo.", centre.QuerySelector("#so-chua-doc").Text());
        Assert.Null(centre.QuerySelector("#thong-bao-dau-trang .tag"));
    }

    [Fact]
    public async Task An_administrator_edits_a_template_and_the_next_notice_uses_it_until_it_is_restored()
    {
        var (a, _) = await desk.CommunesAsync();
        using var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantri");
        var list = await admin.GetPageAsync("/quan-tri/mau-thong-bao");
        Assert.Equal(Enum.GetValues<NoticeKind>().Length, list.QuerySelectorAll("#mau tbody tr").Length);

        // A typo in a placeholder is explained and what was typed stays in the form.
        var form = await admin.GetPageAsync("/quan-tri/mau-thong-bao/received");
        var typo = "Cong DVC: {ma_hoso} da tiep nhan";
        using (var refused = await admin.SubmitAsync(form, "#sua-mau", new Dictionary<string, string> { ["Sms"] = typo }))
        {
            var page = await Html.ParseAsync(refused);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Không có biến {ma_hoso}", page.QuerySelector("#sms-error").Text(), StringComparison.Ordinal);
            Assert.Equal(typo, page.QuerySelector("#sms")!.TextContent);
        }

        // Too long for one SMS once filled in.
        using (var tooLong = await admin.SubmitAsync(form, "#sua-mau", new Dictionary<string, string> { ["Sms"] = string.Concat(Enumerable.Repeat("{thu_tuc} ", 12)) }))
        {
            Assert.Contains("Tin nhắn dài quá", (await Html.ParseAsync(tooLong)).QuerySelector("#sms-error").Text(), StringComparison.Ordinal);
        }

        using (var saved = await admin.SubmitAsync(form, "#sua-mau", new Dictionary<string, string> { ["Sms"] = "UBND xã đã nhận hồ sơ {ma_ho_so}, hẹn trả {ngay_hen_tra}." }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        try
        {
            var applicant = await desk.ApplicantAsync();
            var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
            Assert.True((await desk.ActAsync(new FakeTimeProvider(DateTimeOffset.UtcNow), await desk.OfficerAsync(a, Roles.Reception), id, WorkflowAction.Receive)).Kind == OutcomeKind.Done);
            var sms = (await desk.MessagesAsync(applicant.Phone)).Single(m => m.Purpose == "ho-so-receive");
            Assert.StartsWith($"UBND xa da nhan ho so {code}, hen tra ", sms.Body, StringComparison.Ordinal);
        }
        finally
        {
            form = await admin.GetPageAsync("/quan-tri/mau-thong-bao/received");
            using var reset = await admin.SubmitAsync(form, "#khoi-phuc", new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        }

        form = await admin.GetPageAsync("/quan-tri/mau-thong-bao/received");
        Assert.Equal(NoticeTemplates.Default(NoticeKind.Received).Sms, form.QuerySelector("#sms")!.TextContent);
        Assert.Null(form.QuerySelector("#khoi-phuc"));

        // Citizens and officers do not reach the templates.
        var citizen = await desk.ApplicantAsync();
        using var browser = await BackOffice.SignedInAsync(portal.Factory, citizen.UserName, citizen.Password);
        using var denied = await browser.GetAsync(new Uri("/quan-tri/mau-thong-bao", UriKind.Relative), Cancel);
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
    }

    private static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

[Collection(SqliteCollection.Name)]
public sealed class NoticeTestsOnSqlite(SqlitePortal portal) : NoticeTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class NoticeTestsOnPostgreSql(PostgresPortal portal) : NoticeTests(portal);
