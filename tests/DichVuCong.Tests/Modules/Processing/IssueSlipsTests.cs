using System.Net;
using System.Net.Http.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DocumentFormat.OpenXml.Packaging;
using Cell = DocumentFormat.OpenXml.Spreadsheet.Cell;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static DichVuCong.Tests.Infrastructure.PdfText;

namespace DichVuCong.Tests.Modules.Processing;

/// <summary>The slips of real dossiers as officers and applicants download them, read back as text.</summary>
public abstract class IssueSlipsTests(PortalFixture portal)
{
    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_receipt_and_control_sheet_of_a_received_dossier_are_printed_for_its_officers_and_its_applicant_only()
    {
        var (a, b) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant, fullName: "Lương Thị Phiếu");
        var receptionist = await desk.OfficerAsync(a, Roles.Reception);
        using var reception = await desk.BrowserAsync(receptionist);
        await ActAsync(reception, id, "receive", new { note = "Đủ giấy tờ" });
        var dossier = await desk.LoadAsync(id);
        var receipt = dossier.Actions.Single(x => x.Action == WorkflowAction.Receive);
        var agency = await AgencyNameAsync(a);

        // The officer's page links the slip the reception issued and the control sheet.
        var page = await reception.GetPageAsync($"/can-bo/ho-so/{id}");
        var slipUrl = $"/can-bo/ho-so/{id}/phieu/{receipt.Id}.pdf";
        Assert.Equal("Mẫu 01 (PDF)", page.QuerySelector($"#qua-trinh a[href='{slipUrl}']")?.TextContent.Trim());
        Assert.Equal("Phiếu kiểm soát (PDF)", page.QuerySelector($"a[href='/can-bo/ho-so/{id}/phieu-kiem-soat.pdf']")?.TextContent.Trim());

        using (var response = await reception.GetAsync(new Uri(slipUrl, UriKind.Relative), Cancel))
        {
            var text = await PdfTextAsync(response);
            Assert.Contains(Squash(code), text, StringComparison.Ordinal);
            Assert.Contains(Formats.Date(dossier.ReceivedAt!.Value), text, StringComparison.Ordinal);
            Assert.Contains(Formats.Date(dossier.DueAt!.Value), text, StringComparison.Ordinal);
            Assert.Contains(Upper(agency), Upper(text), StringComparison.Ordinal);
            Assert.Contains(Upper("Lương Thị Phiếu"), Upper(text), StringComparison.Ordinal);
            Assert.Contains(Upper(receptionist.FullName), Upper(text), StringComparison.Ordinal);
        }

        using (var api = await reception.GetAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/slips/{receipt.Id}", UriKind.Relative), Cancel))
        {
            Assert.Contains(Squash(code), await PdfTextAsync(api), StringComparison.Ordinal);
        }

        // The applicant finds it on their dossier, under the form's own name.
        using var citizen = await Accounts.BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);
        var mine = await citizen.GetPageAsync($"/ho-so-cua-toi/{id}");
        var citizenUrl = $"/ho-so-cua-toi/{id}/phieu/{receipt.Id}.pdf";
        Assert.Equal("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (PDF)", mine.QuerySelector($"#phieu a[href='{citizenUrl}']")?.TextContent.Trim());
        using (var response = await citizen.GetAsync(new Uri(citizenUrl, UriKind.Relative), Cancel))
        {
            var text = await PdfTextAsync(response);
            Assert.Contains(Squash(code), text, StringComparison.Ordinal);
            Assert.Contains(Formats.Date(dossier.DueAt!.Value), text, StringComparison.Ordinal);
        }

        // The control sheet lists each hand-over with its officer, the step's due time and how it ended.
        var specialist = await desk.OfficerAsync(a, Roles.Specialist);
        using (var thuLy = await desk.BrowserAsync(specialist))
        {
            await ActAsync(thuLy, id, "forward", new { note = "Đã ghi sổ hộ tịch" });
        }

        var forward = (await desk.LoadAsync(id)).Actions.Single(x => x.Action == WorkflowAction.Forward);
        using (var response = await reception.GetAsync(new Uri($"/can-bo/ho-so/{id}/phieu-kiem-soat.pdf", UriKind.Relative), Cancel))
        {
            var text = await PdfTextAsync(response);
            Assert.Contains(Upper("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"), Upper(text), StringComparison.Ordinal);
            Assert.Contains(Upper("Bộ phận Một cửa tiếp nhận và trả kết quả"), Upper(text), StringComparison.Ordinal);
            Assert.Contains(Upper(receptionist.FullName), Upper(text), StringComparison.Ordinal);
            // The specialist took the dossier over from reception, then handed it on.
            Assert.Contains(Upper($"Người nhận {specialist.FullName}"), Upper(text), StringComparison.Ordinal);
            Assert.Contains(Squash("Hạn: " + Formats.DateTime(forward.StepDueAt!.Value)), text, StringComparison.Ordinal);
            Assert.Contains(forward.Timeliness == DossierTimeliness.Early ? "Trướchạn" : "Đúnghạn", text, StringComparison.Ordinal);
        }

        // Someone else's dossier does not exist for another citizen, nor for an officer of another commune.
        var stranger = await desk.ApplicantAsync();
        using var other = await Accounts.BackOffice.SignedInAsync(portal.Factory, stranger.UserName, stranger.Password);
        await NotFoundAsync(other, citizenUrl);
        await NotFoundAsync(citizen, $"/ho-so-cua-toi/{id}/phieu/{receipt.Id + 100000}.pdf");
        using var elsewhere = await desk.BrowserAsync(await desk.OfficerAsync(b, Roles.Reception));
        await NotFoundAsync(elsewhere, slipUrl);
        await NotFoundAsync(elsewhere, $"/can-bo/ho-so/{id}/phieu-kiem-soat.pdf");
        await NotFoundAsync(elsewhere, $"/api/v1/backoffice/dossiers/{id}/slips/{receipt.Id}");
    }

    [Fact]
    public async Task A_supplement_request_prints_what_is_missing_on_form_02()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        using var reception = await desk.BrowserAsync(await desk.OfficerAsync(a, Roles.Reception));
        await ActAsync(reception, id, "request-supplement", new { missing = new[] { "Giấy chứng sinh bản chính", "Văn bản ủy quyền có chứng thực" } });
        var request = (await desk.LoadAsync(id)).Actions.Single(x => x.Action == WorkflowAction.RequestSupplement);

        using var citizen = await Accounts.BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);
        var mine = await citizen.GetPageAsync($"/ho-so-cua-toi/{id}");
        var url = $"/ho-so-cua-toi/{id}/phieu/{request.Id}.pdf";
        Assert.Equal("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (PDF)", mine.QuerySelector($"#phieu a[href='{url}']")?.TextContent.Trim());
        using var response = await citizen.GetAsync(new Uri(url, UriKind.Relative), Cancel);
        var text = await PdfTextAsync(response);
        Assert.Contains(Squash(code), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Giấy chứng sinh bản chính"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Văn bản ủy quyền có chứng thực"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_register_of_an_agency_lists_the_dossiers_received_in_the_range_and_explains_a_bad_range()
    {
        var (a, b) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        using var reception = await desk.BrowserAsync(await desk.OfficerAsync(a, Roles.Reception));
        await ActAsync(reception, id, "receive");
        var day = Formats.Date((await desk.LoadAsync(id)).ReceivedAt!.Value);
        var agencyCode = await AgencyCodeAsync(a);

        var inbox = await reception.GetPageAsync("/can-bo");
        Assert.Equal("Sổ theo dõi hồ sơ", inbox.QuerySelector("a[href='/can-bo/so-theo-doi']")?.TextContent.Trim());
        var form = await reception.GetPageAsync("/can-bo/so-theo-doi");
        Assert.NotNull(form.QuerySelector($"#co-quan option[value='{agencyCode}']"));
        Assert.Null(form.QuerySelector($"#co-quan option[value='{await AgencyCodeAsync(b)}']"));

        // The button leads to the file for what was chosen.
        using (var chosen = await reception.GetAsync(new Uri($"/can-bo/so-theo-doi?co-quan={agencyCode}&tu={day}&den={day}&tai=pdf", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
            Assert.StartsWith("/can-bo/so-theo-doi.pdf?", chosen.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var query = $"co-quan={Uri.EscapeDataString(agencyCode)}&tu={day}&den={day}";
        using (var pdf = await reception.GetAsync(new Uri("/can-bo/so-theo-doi.pdf?" + query, UriKind.Relative), Cancel))
        {
            var text = await PdfTextAsync(pdf);
            Assert.Contains(Squash(code), text, StringComparison.Ordinal);
            Assert.Contains(Squash($"Từ ngày {day} đến ngày {day}"), text, StringComparison.Ordinal);
        }

        using (var xlsx = await reception.GetAsync(new Uri("/can-bo/so-theo-doi.xlsx?" + query, UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
            using var workbook = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Cancel)), false);
            var cells = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Cell>().Select(c => c.InnerText).ToList();
            Assert.Contains(code, cells);
        }

        // A range ending before it starts is explained beside the field, with what was typed kept.
        var bad = await reception.GetPageAsync($"/can-bo/so-theo-doi?co-quan={agencyCode}&tu=10/12/2026&den=01/12/2026&tai=pdf");
        Assert.Contains("Ngày kết thúc phải trùng hoặc sau ngày bắt đầu.", bad.QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("01/12/2026", bad.QuerySelector("#den")?.GetAttribute("value"));
        Assert.Equal("10/12/2026", bad.QuerySelector("#tu")?.GetAttribute("value"));
        var typo = await reception.GetPageAsync($"/can-bo/so-theo-doi?co-quan={agencyCode}&tu=31/02/2026&den=&tai=xlsx");
        Assert.Contains("Nhập ngày bắt đầu theo dạng ngày/tháng/năm", typo.QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Nhập ngày kết thúc.", typo.QuerySelector(".error-summary")?.TextContent, StringComparison.Ordinal);

        // Another commune's register is not theirs to print.
        using var foreign = await reception.GetAsync(new Uri($"/can-bo/so-theo-doi.pdf?co-quan={await AgencyCodeAsync(b)}&tu={day}&den={day}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.DoesNotContain(code, await foreign.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    private static async Task ActAsync(HttpClient officer, Guid id, string action, object? body = null)
    {
        using var response = await officer.PostAsJsonAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/actions/{action}", UriKind.Relative), body ?? new { }, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task NotFoundAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The PDF's text without spaces; a page's PDF (not the API's) opens in the browser, under a .pdf name.</summary>
    private static async Task<string> PdfTextAsync(HttpResponseMessage response)
    {
        var text = await ReadAsync(response, Cancel);
        if (response.RequestMessage?.RequestUri?.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) != true)
        {
            Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.EndsWith(".pdf", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        }

        return text;
    }

    private async Task<string> AgencyNameAsync(int id)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Agencies.Where(x => x.Id == id).Select(x => x.Name).SingleAsync(Cancel);
    }

    private async Task<string> AgencyCodeAsync(int id)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Agencies.Where(x => x.Id == id).Select(x => x.Code).SingleAsync(Cancel);
    }

}

[Collection(SqliteCollection.Name)]
public sealed class IssueSlipsTestsOnSqlite(SqlitePortal portal) : IssueSlipsTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class IssueSlipsTestsOnPostgreSql(PostgresPortal portal) : IssueSlipsTests(portal);
