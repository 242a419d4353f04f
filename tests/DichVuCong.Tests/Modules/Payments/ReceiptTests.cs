using System.Globalization;
using System.Net;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static DichVuCong.Tests.Infrastructure.PdfText;
using Applicant = DichVuCong.Tests.Modules.Processing.Applicant;

namespace DichVuCong.Tests.Modules.Payments;

/// <summary>
/// The electronic receipt of a paid payment, downloaded as the payer and the agency's officers do and read back as
/// text; everyone else, and every payment that took no money, gets nothing.
/// </summary>
public abstract class ReceiptTests(PortalFixture portal)
{
    private const long Fee = 8_000;
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_desk_payment_has_a_receipt_for_the_owner_and_the_agencys_officers_only()
    {
        var (applicant, id, code) = await OwedDossierAsync();
        var (a, b) = await desk.CommunesAsync();
        var officer = await desk.OfficerAsync(a, Roles.Reception);
        using var reception = await desk.BrowserAsync(officer);
        using (var recorded = await reception.PostAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/payments/desk", UriKind.Relative), null, Cancel))
        {
            Assert.Equal(HttpStatusCode.NoContent, recorded.StatusCode);
        }

        var payment = await PaidPaymentAsync(id);
        var url = $"/thanh-toan/bien-lai/{payment.TxnRef}.pdf";

        // The owner's history links the receipt; the receipt says what was paid, for what, how and when.
        using var citizen = await SignInAsync(applicant);
        var history = await citizen.GetPageAsync("/thanh-toan");
        Assert.Equal("Biên lai (PDF)", history.QuerySelector($"#lich-su-thanh-toan a[href='{url}']")?.TextContent.Trim());
        using (var response = await citizen.GetAsync(new Uri(url, UriKind.Relative), Cancel))
        {
            Assert.Equal($"bien-lai-{payment.TxnRef}.pdf", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true });
            var text = await PdfTextAsync(response);
            Assert.Contains(Upper("Biên lai thu phí, lệ phí"), Upper(text), StringComparison.Ordinal);
            Assert.Contains(Squash(code), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Số: " + payment.TxnRef), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Ký hiệu: BLĐT"), text, StringComparison.Ordinal);
            Assert.Contains(Upper(await AgencyNameAsync(a)), Upper(text), StringComparison.Ordinal);
            Assert.Contains(Squash("Tên người nộp: Bà Biên Lai"), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Địa chỉ: 12 Phố Huế, Hà Nội"), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Phí, lệ phí giải quyết thủ tục hành chính"), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Lệ phí đăng ký khai sinh: 8.000 đ x 1"), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Số tiền: 8.000 đ"), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Viết bằng chữ: Tám nghìn đồng"), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Hình thức thanh toán: Tại Bộ phận Một cửa"), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Người thu tiền: " + officer.FullName), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Thời gian thanh toán: " + VietnamTime.ToLocal(payment.PaidAt!.Value).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)), text, StringComparison.Ordinal);
            Assert.Contains(Squash("Biên lai điện tử được lập trên Cổng Dịch vụ công"), text, StringComparison.Ordinal);
            Assert.Contains(Squash("/tra-cuu?ma=" + code), text, StringComparison.Ordinal);
        }

        // The officer's dossier page links it too, and the officer gets it, also through the API.
        var page = await reception.GetPageAsync($"/can-bo/ho-so/{id}");
        Assert.NotNull(page.QuerySelector($"#lich-su-thanh-toan a[href='{url}']"));
        using (var response = await reception.GetAsync(new Uri(url, UriKind.Relative), Cancel))
        {
            Assert.Contains(Squash(code), await PdfTextAsync(response), StringComparison.Ordinal);
        }

        using (var api = await citizen.GetAsync(new Uri($"/api/v1/payments/{payment.TxnRef}/receipt", UriKind.Relative), Cancel))
        {
            Assert.Contains(Squash("Tám nghìn đồng"), await PdfTextAsync(api), StringComparison.Ordinal);
        }

        // Another citizen, an officer of another commune: it does not exist for them.
        using var stranger = await SignInAsync(await desk.ApplicantAsync());
        using var elsewhere = await desk.BrowserAsync(await desk.OfficerAsync(b, Roles.Reception));
        await NotFoundAsync(stranger, url);
        await NotFoundAsync(stranger, $"/api/v1/payments/{payment.TxnRef}/receipt");
        await NotFoundAsync(elsewhere, url);
        await NotFoundAsync(citizen, "/thanh-toan/bien-lai/261203NOSUCH99.pdf");
    }

    [Fact]
    public async Task An_online_payment_has_a_receipt_once_the_gateway_confirmed_it_and_not_before()
    {
        var (applicant, id, code) = await OwedDossierAsync(50_000);
        using var citizen = await SignInAsync(applicant);

        // A payment given up at the gateway took no money: no receipt, no link.
        var cancelled = await PayAtSandboxAsync(citizen, id, "cancel", loseIpn: false);
        Assert.Null(cancelled.QuerySelector("#bien-lai"));
        await NotFoundAsync(citizen, $"/thanh-toan/bien-lai/{cancelled.QuerySelector("#ma-giao-dich").Text()}.pdf");

        // Paid at the gateway but not yet confirmed to the portal: still none.
        var waiting = await PayAtSandboxAsync(citizen, id, "success", loseIpn: true);
        var pending = waiting.QuerySelector("#ma-giao-dich").Text();
        Assert.Null(waiting.QuerySelector("#bien-lai"));
        await NotFoundAsync(citizen, $"/thanh-toan/bien-lai/{pending}.pdf");
        Assert.Null((await citizen.GetPageAsync("/thanh-toan")).QuerySelector($"#lich-su-thanh-toan a[href*='{pending}']"));
        await WithDbAsync(db => db.Payments.Where(p => p.TxnRef == pending).ExecuteUpdateAsync(s => s.SetProperty(p => p.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)), Cancel));

        var result = await PayAtSandboxAsync(citizen, id, "success", loseIpn: false);
        Assert.Equal("Đã thanh toán", result.QuerySelector("#trang-thai-thanh-toan").Text());
        var payment = await PaidPaymentAsync(id);
        var link = result.QuerySelector("#bien-lai");
        Assert.Equal("Biên lai (PDF)", link?.TextContent.Trim());
        Assert.Equal($"/thanh-toan/bien-lai/{payment.TxnRef}.pdf", link!.GetAttribute("href"));

        using var response = await citizen.GetAsync(new Uri(link.GetAttribute("href")!, UriKind.Relative), Cancel);
        var text = await PdfTextAsync(response);
        Assert.Contains(Squash(code), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Số tiền: 50.000 đ"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Viết bằng chữ: Năm mươi nghìn đồng"), text, StringComparison.Ordinal);
        Assert.Contains(Squash($"Hình thức thanh toán: Trực tuyến (VNPay) · Ngân hàng NCB · Mã giao dịch {payment.GatewayTransactionNo}"), text, StringComparison.Ordinal);
        Assert.Contains(Squash("Thời gian thanh toán: " + VietnamTime.ToLocal(payment.PaidAt!.Value).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ngườithutiền", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_receipt_download()
    {
        using var client = portal.CreateClient();
        var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel)).RootElement;

        var receipt = document.GetProperty("paths").GetProperty("/api/v1/payments/{txnRef}/receipt").GetProperty("get");
        Assert.Equal("GetPaymentReceipt", receipt.GetProperty("operationId").GetString());
        Assert.StartsWith("Biên lai thu phí, lệ phí điện tử (PDF)", receipt.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Presses "Thanh toán" for the dossier on /thanh-toan, chooses the outcome at the sandbox and follows back to the result page.</summary>
    private static async Task<AngleSharp.Dom.IDocument> PayAtSandboxAsync(HttpClient citizen, Guid id, string outcome, bool loseIpn)
    {
        var page = await citizen.GetPageAsync("/thanh-toan");
        var form = page.QuerySelectorAll("form").First(f => f.QuerySelector($"input[name=dossierId][value='{id}']") is not null);
        form.Id = "pay-form";
        using var toGateway = await citizen.SubmitAsync(page, "#pay-form", new Dictionary<string, string>());
        var gateway = await citizen.FollowAsync(toGateway);
        var fields = new Dictionary<string, string> { ["Bank"] = "NCB", ["outcome"] = outcome };
        if (loseIpn)
        {
            fields["LoseIpn"] = "true";
        }

        using var back = await citizen.SubmitAsync(gateway, "main form", fields);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        return await citizen.GetPageAsync(new Uri(back.Headers.Location!.OriginalString).PathAndQuery);
    }

    /// <summary>A dossier of the demo commune owing a fee, its applicant with an address.</summary>
    private async Task<(Applicant Applicant, Guid Id, string Code)> OwedDossierAsync(long fee = Fee)
    {
        var applicant = await desk.ApplicantAsync();
        var (a, _) = await desk.CommunesAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant, fullName: "Bà Biên Lai");
        await WithDbAsync(async db =>
        {
            var dossier = await db.Dossiers.SingleAsync(d => d.Id == id, Cancel);
            dossier.Applicant.Address = "12 Phố Huế, Hà Nội";
            dossier.SetFee(fee, $"Lệ phí đăng ký khai sinh: {fee.ToString("#,0", Vietnamese)} đ x 1");
            return await db.SaveChangesAsync(Cancel);
        });
        return (applicant, id, code);
    }

    private Task<HttpClient> SignInAsync(Applicant applicant) => BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);

    private async Task<Payment> PaidPaymentAsync(Guid dossierId)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Payments.AsNoTracking().SingleAsync(p => p.DossierId == dossierId && p.State == PaymentState.Paid, Cancel);
    }

    private async Task WithDbAsync(Func<AppDbContext, Task<int>> work)
    {
        using var scope = portal.Services.CreateScope();
        await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private async Task<string> AgencyNameAsync(int id)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Agencies.Where(x => x.Id == id).Select(x => x.Name).SingleAsync(Cancel);
    }

    private static async Task NotFoundAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<string> PdfTextAsync(HttpResponseMessage response) => ReadAsync(response, Cancel);
}

[Collection(SqliteCollection.Name)]
public sealed class ReceiptTestsOnSqlite(SqlitePortal portal) : ReceiptTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class ReceiptTestsOnPostgreSql(PostgresPortal portal) : ReceiptTests(portal);
