using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Payments;

/// <summary>
/// <c>/can-bo/hoan-tien</c>: money taken for a dossier already paid is listed for the reception and leaders of the
/// dossier's agency, who record how it went back; other agencies and citizens do not see it; a second record is a 409.
/// </summary>
public abstract class RefundTests(PortalFixture portal)
{
    private const long Fee = 50_000;

    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record Due(Guid DossierId, string Code, string TxnRef, Officer Reception, Applicant Applicant);

    /// <summary>A dossier of commune A paid online twice, as when a second gateway payment is confirmed after the first: one Paid, one RefundDue.</summary>
    private async Task<Due> RefundDueAsync()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant, fullName: "Lê Thị Hoàn");
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var dossier = await db.Dossiers.SingleAsync(d => d.Id == id, Cancel);
        dossier.SetFee(Fee, "Lệ phí đăng ký khai sinh");
        var now = DateTime.UtcNow;
        var first = Payment.StartOnline(id, Fee, "vnpay", now, TimeSpan.FromMinutes(15));
        first.MarkPaid(now, "14226112", "NCB", "00");
        var second = Payment.StartOnline(id, Fee, "vnpay", now, TimeSpan.FromMinutes(15));
        second.MarkRefundDue(now, "14226113", "VCB", "00");
        dossier.MarkPaid(now, "Đã thanh toán trực tuyến");
        db.Payments.AddRange(first, second);
        await db.SaveChangesAsync(Cancel);
        return new Due(id, code, second.TxnRef, await desk.OfficerAsync(a, Roles.Reception), applicant);
    }

    private async Task<Payment> PaymentAsync(string txnRef)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Payments.AsNoTracking().SingleAsync(p => p.TxnRef == txnRef, Cancel);
    }

    [Fact]
    public async Task The_agencys_officer_records_the_refund_with_a_note_and_it_leaves_the_list()
    {
        var due = await RefundDueAsync();
        using var officer = await desk.BrowserAsync(due.Reception);
        var home = await officer.GetPageAsync("/can-bo");
        Assert.StartsWith("Hoàn tiền", home.QuerySelector("#hoan-tien").Text(), StringComparison.Ordinal);

        var page = await officer.GetPageAsync(home.QuerySelector("#hoan-tien")!.GetAttribute("href")!);
        var row = page.QuerySelector($"#hoan-tien-{due.TxnRef}").Text();
        foreach (var shown in new[] { due.Code, "Lê Thị Hoàn", "50.000 đ", "Trực tuyến (VNPay)", "VCB", "14226113" })
        {
            Assert.Contains(shown, row, StringComparison.Ordinal);
        }

        // An empty note is refused with the way to fill it; an over-long one comes back as typed.
        using (var empty = await officer.SubmitAsync(page, $"#form-hoan-tien-{due.TxnRef}", new Dictionary<string, string> { ["Note"] = "  " }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            var again = await Html.ParseAsync(empty);
            Assert.StartsWith("Nhập cách đã hoàn tiền", again.QuerySelector($"#ghi-chu-{due.TxnRef}-error").Text(), StringComparison.Ordinal);
            Assert.NotNull(again.QuerySelector(".error-summary"));
        }

        var tooLong = "Đã chuyển khoản " + new string('x', 600);
        using (var overlong = await officer.SubmitAsync(page, $"#form-hoan-tien-{due.TxnRef}", new Dictionary<string, string> { ["Note"] = tooLong }))
        {
            var again = await Html.ParseAsync(overlong);
            Assert.Equal(tooLong, again.QuerySelector($"#ghi-chu-{due.TxnRef}").Text());
            Assert.Contains("dài quá", again.QuerySelector($"#ghi-chu-{due.TxnRef}-error").Text(), StringComparison.Ordinal);
        }

        Assert.Equal(PaymentState.RefundDue, (await PaymentAsync(due.TxnRef)).State);

        using var recorded = await officer.SubmitAsync(page, $"#form-hoan-tien-{due.TxnRef}", new Dictionary<string, string> { ["Note"] = "Đã chuyển khoản hoàn tiền, số UNC 0231" });
        var after = await officer.FollowAsync(recorded);
        Assert.Contains($"Đã ghi nhận hoàn tiền khoản {due.TxnRef}", after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Null(after.QuerySelector($"#hoan-tien-{due.TxnRef}"));
        var refunded = await PaymentAsync(due.TxnRef);
        Assert.Equal((PaymentState.Refunded, (Guid?)due.Reception.Id, "Đã chuyển khoản hoàn tiền, số UNC 0231"), (refunded.State, refunded.RefundedBy, refunded.RefundNote));
        Assert.NotNull(refunded.RefundedAt);
        var history = (await officer.GetPageAsync($"/can-bo/ho-so/{due.DossierId}")).QuerySelector("#lich-su-thanh-toan").Text();
        Assert.Contains("Đã hoàn tiền", history, StringComparison.Ordinal);

        // The same form again (a double submit, or a page left open): a conflict that says so, nothing changes.
        using (var twice = await officer.SubmitAsync(page, $"#form-hoan-tien-{due.TxnRef}", new Dictionary<string, string> { ["Note"] = "Lần hai" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Contains("đã được ghi nhận hoàn tiền", (await Html.ParseAsync(twice)).QuerySelector("#loi-hoan-tien").Text(), StringComparison.Ordinal);
        }

        Assert.Equal("Đã chuyển khoản hoàn tiền, số UNC 0231", (await PaymentAsync(due.TxnRef)).RefundNote);
    }

    [Fact]
    public async Task The_api_lists_and_refunds_with_problem_details()
    {
        var due = await RefundDueAsync();
        using var officer = await desk.BrowserAsync(due.Reception);
        var listed = JsonDocument.Parse(await officer.GetStringAsync(new Uri("/api/v1/backoffice/refunds", UriKind.Relative), Cancel)).RootElement;
        var mine = Assert.Single(listed.EnumerateArray(), r => r.GetProperty("txnRef").GetString() == due.TxnRef);
        Assert.Equal((due.Code, Fee, "14226113", "Online"), (mine.GetProperty("dossierCode").GetString(), mine.GetProperty("amount").GetInt64(), mine.GetProperty("gatewayTransactionNo").GetString(), mine.GetProperty("channel").GetString()));

        var address = new Uri($"/api/v1/backoffice/payments/{due.TxnRef}/refund", UriKind.Relative);
        using (var empty = await officer.PostAsJsonAsync(address, new { note = "" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            var problem = JsonDocument.Parse(await empty.Content.ReadAsStringAsync(Cancel)).RootElement;
            Assert.StartsWith("Nhập cách đã hoàn tiền", problem.GetProperty("errors").GetProperty("note")[0].GetString(), StringComparison.Ordinal);
        }

        using (var done = await officer.PostAsJsonAsync(address, new { note = "Đã trả tiền mặt tại quầy, phiếu chi 12" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        }

        using (var twice = await officer.PostAsJsonAsync(address, new { note = "Lần hai" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            var problem = JsonDocument.Parse(await twice.Content.ReadAsStringAsync(Cancel)).RootElement;
            Assert.Contains("đã được ghi nhận hoàn tiền", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var after = JsonDocument.Parse(await officer.GetStringAsync(new Uri("/api/v1/backoffice/refunds", UriKind.Relative), Cancel)).RootElement;
        Assert.DoesNotContain(after.EnumerateArray(), r => r.GetProperty("txnRef").GetString() == due.TxnRef);
    }

    [Fact]
    public async Task Another_agencys_officer_a_specialist_and_a_citizen_cannot_reach_it()
    {
        var due = await RefundDueAsync();
        var (a, b) = await desk.CommunesAsync();

        using var elsewhere = await desk.BrowserAsync(await desk.OfficerAsync(b, Roles.Reception));
        var theirs = await elsewhere.GetPageAsync("/can-bo/hoan-tien");
        Assert.Null(theirs.QuerySelector($"#hoan-tien-{due.TxnRef}"));
        var listed = JsonDocument.Parse(await elsewhere.GetStringAsync(new Uri("/api/v1/backoffice/refunds", UriKind.Relative), Cancel)).RootElement;
        Assert.DoesNotContain(listed.EnumerateArray(), r => r.GetProperty("txnRef").GetString() == due.TxnRef);
        using (var refused = await elsewhere.PostAsJsonAsync(new Uri($"/api/v1/backoffice/payments/{due.TxnRef}/refund", UriKind.Relative), new { note = "Không phải của tôi" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using var specialist = await desk.BrowserAsync(await desk.OfficerAsync(a, Roles.Specialist));
        using (var page = await specialist.GetAsync(new Uri("/can-bo/hoan-tien", UriKind.Relative), Cancel))
        {
            // Sent to the access-denied page, as every page a role may not open.
            Assert.Equal(HttpStatusCode.Found, page.StatusCode);
            Assert.Contains("/khong-co-quyen", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        using (var api = await specialist.GetAsync(new Uri("/api/v1/backoffice/refunds", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        }

        Assert.Null((await specialist.GetPageAsync("/can-bo")).QuerySelector("#hoan-tien"));

        using var citizen = await Accounts.BackOffice.SignedInAsync(portal.Factory, due.Applicant.UserName, due.Applicant.Password);
        using (var page = await citizen.GetAsync(new Uri("/can-bo/hoan-tien", UriKind.Relative), Cancel))
        {
            Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
            Assert.DoesNotContain(due.TxnRef, await page.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        }

        using (var api = await citizen.PostAsJsonAsync(new Uri($"/api/v1/backoffice/payments/{due.TxnRef}/refund", UriKind.Relative), new { note = "Tự hoàn" }, Cancel))
        {
            Assert.Contains(api.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized });
        }

        Assert.Equal(PaymentState.RefundDue, (await PaymentAsync(due.TxnRef)).State);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class RefundTestsOnSqlite(SqlitePortal portal) : RefundTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class RefundTestsOnPostgreSql(PostgresPortal portal) : RefundTests(portal);
