using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using Applicant = DichVuCong.Tests.Modules.Processing.Applicant;
using DichVuCong.Web.Modules.Payments;
using DichVuCong.Web.Modules.Payments.Reconcile;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Payments;

/// <summary>
/// Online payment against the portal's sandbox gateway: who may start one, what the IPN accepts and refuses, that only
/// the gateway's word marks a dossier paid, and once at most, and that a lost IPN is made good by reconciliation.
/// </summary>
public abstract class PaymentTests(PortalFixture portal)
{
    private const long Fee = 50_000;

    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    internal sealed record Started(string TxnRef, long Amount, string PaymentUrl);

    internal sealed record Answer(string RspCode, string Message);

    [Fact]
    public async Task The_owner_starts_a_payment_for_the_fee_and_a_second_click_gets_the_same_one()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);

        var started = await StartAsync(citizen, id);
        var again = await StartAsync(citizen, id);

        Assert.Equal(Fee, started.Amount);
        Assert.StartsWith("/sandbox/vnpay/paymentv2/vpcpay.html?", started.PaymentUrl, StringComparison.Ordinal);
        Assert.Contains("vnp_Amount=5000000&", started.PaymentUrl, StringComparison.Ordinal);
        Assert.Contains("vnp_TxnRef=" + started.TxnRef + "&", started.PaymentUrl, StringComparison.Ordinal);
        Assert.Equal(started.TxnRef, again.TxnRef);
        Assert.Equal(PaymentState.Pending, (await PaymentAsync(started.TxnRef)).State);
    }

    [Fact]
    public async Task Another_citizen_is_not_found_and_a_dossier_owing_nothing_is_refused()
    {
        var (applicant, id) = await OwedDossierAsync();
        var stranger = await desk.ApplicantAsync();
        using var other = await SignInAsync(stranger);
        using var notFound = await other.PostAsync(new Uri($"/api/v1/dossiers/{id}/payments", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);

        var (_, free) = await OwedDossierAsync(0, applicant);
        var (_, unpriced) = await OwedDossierAsync(null, applicant);
        using var citizen = await SignInAsync(applicant);
        foreach (var dossier in new[] { free, unpriced })
        {
            using var response = await citizen.PostAsync(new Uri($"/api/v1/dossiers/{dossier}/payments", UriKind.Relative), null, Cancel);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Empty(await PaymentsOfAsync(id));
    }

    [Fact]
    public async Task A_verified_ipn_marks_the_dossier_paid_and_its_replay_changes_nothing()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);
        var started = await StartAsync(citizen, id);

        var first = await IpnAsync(Callback(started.TxnRef, Fee * 100));
        var paid = await PaymentAsync(started.TxnRef);
        var dossier = await desk.LoadAsync(id);
        var replay = await IpnAsync(Callback(started.TxnRef, Fee * 100, transactionNo: "99999999"));

        Assert.Equal("00", first.RspCode);
        Assert.Equal((PaymentState.Paid, "NCB", "14226112"), (paid.State, paid.BankCode, paid.GatewayTransactionNo));
        Assert.NotNull(dossier.PaidAt);
        Assert.Contains(dossier.Events, e => e.Note!.Contains("Đã thanh toán phí, lệ phí trực tuyến 50.000 đ", StringComparison.Ordinal));
        Assert.Equal("02", replay.RspCode);
        var after = await PaymentAsync(started.TxnRef);
        Assert.Equal((paid.State, paid.PaidAt, paid.GatewayTransactionNo), (after.State, after.PaidAt, after.GatewayTransactionNo));
        Assert.Equal(dossier.PaidAt, (await desk.LoadAsync(id)).PaidAt);

        using var again = await citizen.PostAsync(new Uri($"/api/v1/dossiers/{id}/payments", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Hồ sơ đã được thanh toán", await again.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_unknown_or_wrongly_priced_ipn_changes_nothing_and_gets_its_code()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);
        var started = await StartAsync(citizen, id);

        var tampered = await IpnAsync(Callback(started.TxnRef, Fee * 100).Replace("vnp_Amount=5000000", "vnp_Amount=500000000", StringComparison.Ordinal));
        var wrongSecret = await IpnAsync(Callback(started.TxnRef, Fee * 100, secret: "not-the-secret"));
        var unknown = await IpnAsync(Callback("261203NOSUCH99", Fee * 100));
        var cheaper = await IpnAsync(Callback(started.TxnRef, 1_000 * 100));
        var unsigned = await IpnAsync("vnp_TxnRef=" + started.TxnRef + "&vnp_ResponseCode=00");

        Assert.Equal(["97", "97", "01", "04", "97"], new[] { tampered, wrongSecret, unknown, cheaper, unsigned }.Select(a => a.RspCode));
        Assert.Equal(PaymentState.Pending, (await PaymentAsync(started.TxnRef)).State);
        Assert.Null((await desk.LoadAsync(id)).PaidAt);
    }

    [Fact]
    public async Task A_failed_or_cancelled_payment_leaves_the_fee_owed()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);
        var failed = await StartAsync(citizen, id);
        Assert.Equal("00", (await IpnAsync(Callback(failed.TxnRef, Fee * 100, responseCode: "51", status: "02"))).RspCode);
        var cancelled = await StartAsync(citizen, id);
        Assert.Equal("00", (await IpnAsync(Callback(cancelled.TxnRef, Fee * 100, responseCode: "24", status: "02"))).RspCode);

        Assert.NotEqual(failed.TxnRef, cancelled.TxnRef);
        Assert.Equal(PaymentState.Failed, (await PaymentAsync(failed.TxnRef)).State);
        Assert.Equal(PaymentState.Cancelled, (await PaymentAsync(cancelled.TxnRef)).State);
        Assert.Null((await desk.LoadAsync(id)).PaidAt);
    }

    [Fact]
    public async Task The_return_address_alone_never_marks_a_payment_paid()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);
        var started = await StartAsync(citizen, id);

        var page = await citizen.GetPageAsync("/thanh-toan/ket-qua?" + Callback(started.TxnRef, Fee * 100));

        Assert.Equal("Đang chờ ngân hàng xác nhận", page.QuerySelector("#trang-thai-thanh-toan").Text());
        Assert.Equal(PaymentState.Pending, (await PaymentAsync(started.TxnRef)).State);
        Assert.Null((await desk.LoadAsync(id)).PaidAt);
    }

    [Fact]
    public async Task A_dossier_is_never_paid_twice_the_second_payment_is_kept_for_a_refund()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);
        var first = await StartAsync(citizen, id);
        // The first one's time at the gateway ran out before the payer came back; it is still pending.
        await WithDbAsync(db => db.Payments.Where(p => p.TxnRef == first.TxnRef).ExecuteUpdateAsync(s => s.SetProperty(p => p.ExpiresAt, DateTime.UtcNow.AddMinutes(-1)), Cancel));
        var second = await StartAsync(citizen, id);

        var answers = new[] { await IpnAsync(Callback(first.TxnRef, Fee * 100)), await IpnAsync(Callback(second.TxnRef, Fee * 100, transactionNo: "14226113")) };

        Assert.NotEqual(first.TxnRef, second.TxnRef);
        Assert.All(answers, a => Assert.Equal("00", a.RspCode));
        var payments = await PaymentsOfAsync(id);
        Assert.Single(payments, p => p.State == PaymentState.Paid);
        Assert.Equal(PaymentState.RefundDue, payments.Single(p => p.TxnRef == second.TxnRef).State);
        Assert.Equal("14226113", payments.Single(p => p.TxnRef == second.TxnRef).GatewayTransactionNo);
    }

    [Fact]
    public async Task The_database_refuses_a_second_paid_payment_for_one_dossier()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);
        var started = await StartAsync(citizen, id);
        Assert.Equal("00", (await IpnAsync(Callback(started.TxnRef, Fee * 100))).RspCode);

        await Assert.ThrowsAsync<DbUpdateException>(() => WithDbAsync(async db =>
        {
            var extra = Payment.StartOnline(id, Fee, "vnpay", DateTime.UtcNow, TimeSpan.FromMinutes(15));
            extra.MarkPaid(DateTime.UtcNow, "1", "NCB", "00");
            db.Payments.Add(extra);
            return await db.SaveChangesAsync(Cancel);
        }));
    }

    [Fact]
    public async Task Paying_through_the_sandbox_gateway_marks_the_dossier_paid()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);

        var list = await citizen.GetPageAsync("/thanh-toan");
        Assert.Contains("50.000 đ", list.QuerySelector("#can-thanh-toan").Text(), StringComparison.Ordinal);
        var result = await PayAtSandboxAsync(citizen, list, id, "success", loseIpn: false);

        Assert.Equal("Đã thanh toán", result.QuerySelector("#trang-thai-thanh-toan").Text());
        Assert.NotNull((await desk.LoadAsync(id)).PaidAt);
        var detail = await citizen.GetPageAsync($"/ho-so-cua-toi/{id}");
        Assert.StartsWith("Đã thanh toán lúc", detail.QuerySelector("#da-thanh-toan").Text(), StringComparison.Ordinal);
        Assert.Null(detail.QuerySelector("#thanh-toan"));
        Assert.Null((await citizen.GetPageAsync("/thanh-toan")).QuerySelector($"input[value='{id}']"));
    }

    [Fact]
    public async Task The_sandbox_gateway_refuses_a_pay_address_changed_after_signing()
    {
        var (applicant, id) = await OwedDossierAsync();
        using var citizen = await SignInAsync(applicant);
        var started = await StartAsync(citizen, id);

        var page = await citizen.GetPageAsync(started.PaymentUrl.Replace("vnp_Amount=5000000", "vnp_Amount=100", StringComparison.Ordinal));

        Assert.Contains("Sai chữ ký", page.QuerySelector("#loi-cong").Text(), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("button[value=success]"));
    }

    [Fact]
    public async Task A_lost_ipn_is_made_good_by_reconciliation_and_an_abandoned_payment_expires()
    {
        var (applicant, id) = await OwedDossierAsync();
        var (_, abandonedId) = await OwedDossierAsync(Fee, applicant);
        using var citizen = await SignInAsync(applicant);
        var abandoned = await StartAsync(citizen, abandonedId);

        var result = await PayAtSandboxAsync(citizen, await citizen.GetPageAsync($"/ho-so-cua-toi/{id}"), id, "success", loseIpn: true);
        Assert.Equal("Đang chờ ngân hàng xác nhận", result.QuerySelector("#trang-thai-thanh-toan").Text());
        var txnRef = result.QuerySelector("#ma-giao-dich").Text();
        Assert.Equal(PaymentState.Pending, (await PaymentAsync(txnRef)).State);

        var early = await ReconcileAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(PaymentState.Pending, (await PaymentAsync(txnRef)).State);
        await ReconcileAsync(TimeSpan.FromMinutes(16));

        Assert.Equal(0, early.Checked);
        var paid = await PaymentAsync(txnRef);
        Assert.Equal((PaymentState.Paid, "NCB"), (paid.State, paid.BankCode));
        Assert.NotNull((await desk.LoadAsync(id)).PaidAt);
        Assert.Equal(PaymentState.Expired, (await PaymentAsync(abandoned.TxnRef)).State);
        Assert.Null((await desk.LoadAsync(abandonedId)).PaidAt);
    }

    [Fact]
    public async Task An_officer_records_a_payment_taken_at_the_desk_and_the_citizen_then_owes_nothing()
    {
        var (applicant, id) = await OwedDossierAsync();
        var (a, b) = await desk.CommunesAsync();
        var officer = await desk.OfficerAsync(a, Web.Modules.Accounts.Roles.Reception);
        var elsewhere = await desk.OfficerAsync(b, Web.Modules.Accounts.Roles.Reception);
        using var outsider = await desk.BrowserAsync(elsewhere);
        using var refused = await outsider.PostAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/payments/desk", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var browser = await desk.BrowserAsync(officer);
        var page = await browser.GetPageAsync($"/can-bo/ho-so/{id}");
        Assert.Contains("50.000 đ · chưa thanh toán", page.QuerySelector("#phi-le-phi").Text(), StringComparison.Ordinal);
        using var posted = await browser.SubmitAsync(page, "#form-thu-phi", new Dictionary<string, string>());
        var after = await browser.FollowAsync(posted);

        Assert.Contains("Đã ghi nhận người nộp đã nộp phí", after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Contains("đã thanh toán lúc", after.QuerySelector("#phi-le-phi").Text(), StringComparison.Ordinal);
        Assert.Null(after.QuerySelector("#form-thu-phi"));
        var officerHistory = after.QuerySelector("#lich-su-thanh-toan tbody tr").Text();
        Assert.Contains("Tại Bộ phận Một cửa", officerHistory, StringComparison.Ordinal);
        Assert.Contains("Đã thanh toán", officerHistory, StringComparison.Ordinal);
        Assert.Contains("50.000 đ", officerHistory, StringComparison.Ordinal);
        var payment = Assert.Single(await PaymentsOfAsync(id));
        Assert.Equal((PaymentState.Paid, PaymentChannel.Desk, officer.Id, Fee), (payment.State, payment.Channel, payment.RecordedBy!.Value, payment.Amount));
        Assert.NotNull((await desk.LoadAsync(id)).PaidAt);
        using var twice = await browser.PostAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/payments/desk", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using var citizen = await SignInAsync(applicant);
        using var online = await citizen.PostAsync(new Uri($"/api/v1/dossiers/{id}/payments", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, online.StatusCode);

        // The citizen's payment history lists it, with the dossier's code.
        var history = (await citizen.GetPageAsync("/thanh-toan")).QuerySelector("#lich-su-thanh-toan tbody tr").Text();
        Assert.Contains((await desk.LoadAsync(id)).Code!, history, StringComparison.Ordinal);
        Assert.Contains("50.000 đ", history, StringComparison.Ordinal);
        Assert.Contains("Đã thanh toán", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_starting_a_payment_and_the_ipn_but_not_the_sandbox()
    {
        using var client = portal.CreateClient();
        var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel)).RootElement;

        var paths = document.GetProperty("paths");
        Assert.Equal("StartPayment", paths.GetProperty("/api/v1/dossiers/{id}/payments").GetProperty("post").GetProperty("operationId").GetString());
        Assert.Equal("VnPayIpn", paths.GetProperty("/api/v1/payments/vnpay/ipn").GetProperty("get").GetProperty("operationId").GetString());
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/sandbox", StringComparison.Ordinal));
    }

    /// <summary>Presses "Thanh toán" for the dossier on the given page, pays at the sandbox and follows back to the result page.</summary>
    private static async Task<AngleSharp.Dom.IDocument> PayAtSandboxAsync(HttpClient citizen, AngleSharp.Dom.IDocument page, Guid id, string outcome, bool loseIpn)
    {
        var form = page.QuerySelectorAll("form").First(f => f.QuerySelector($"input[name=dossierId][value='{id}']") is not null);
        form.Id = "pay-form";
        using var toGateway = await citizen.SubmitAsync(page, "#pay-form", new Dictionary<string, string>());
        var gateway = await citizen.FollowAsync(toGateway);
        Assert.Equal("50.000 đ", gateway.QuerySelector("#so-tien").Text());
        var fields = new Dictionary<string, string> { ["Bank"] = "NCB", ["outcome"] = outcome };
        if (loseIpn)
        {
            fields["LoseIpn"] = "true";
        }

        using var back = await citizen.SubmitAsync(gateway, "main form", fields);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var location = new Uri(back.Headers.Location!.OriginalString);
        Assert.Equal("/thanh-toan/ket-qua", location.AbsolutePath);
        return await citizen.GetPageAsync(location.PathAndQuery);
    }

    private async Task<ReconcilePass> ReconcileAsync(TimeSpan later) =>
        await ActivatorUtilities.CreateInstance<PaymentReconciler>(portal.Services, (TimeProvider)new FakeTimeProvider(DateTimeOffset.UtcNow + later)).RunOnceAsync(Cancel);

    private async Task<(Applicant Applicant, Guid Id)> OwedDossierAsync(long? fee = Fee, Applicant? owner = null)
    {
        var applicant = owner ?? await desk.ApplicantAsync();
        var (a, _) = await desk.CommunesAsync();
        var (id, _) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        if (fee is { } amount)
        {
            await WithDbAsync(async db =>
            {
                var dossier = await db.Dossiers.SingleAsync(d => d.Id == id, Cancel);
                dossier.SetFee(amount, "Lệ phí đăng ký khai sinh");
                return await db.SaveChangesAsync(Cancel);
            });
        }

        return (applicant, id);
    }

    private Task<HttpClient> SignInAsync(Applicant applicant) => BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);

    private static async Task<Started> StartAsync(HttpClient citizen, Guid id)
    {
        using var response = await citizen.PostAsync(new Uri($"/api/v1/dossiers/{id}/payments", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Started>(Cancel))!;
    }

    private async Task<Answer> IpnAsync(string query)
    {
        using var gateway = portal.CreateClient();
        using var response = await gateway.GetAsync(new Uri("/api/v1/payments/vnpay/ipn?" + query, UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Answer>(Cancel))!;
    }

    /// <summary>
    /// The gateway's callback as VNPay signs it, written here from the protocol and not with the portal's signer:
    /// non-empty vnp_ parameters sorted ordinally, WebUtility-encoded, joined by '&amp;', HMAC-SHA512 in hex.
    /// </summary>
    private static string Callback(string txnRef, long amount100, string responseCode = "00", string status = "00", string transactionNo = "14226112", string secret = PortalFactory.VnPayHashSecret)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["vnp_TmnCode"] = PortalFactory.VnPayTmnCode, ["vnp_Amount"] = amount100.ToString(CultureInfo.InvariantCulture), ["vnp_BankCode"] = "NCB",
            ["vnp_CardType"] = "ATM", ["vnp_OrderInfo"] = "Thanh toan phi le phi ho so", ["vnp_PayDate"] = "20261203143512", ["vnp_ResponseCode"] = responseCode,
            ["vnp_TransactionNo"] = transactionNo, ["vnp_TransactionStatus"] = status, ["vnp_TxnRef"] = txnRef,
        };
        var data = string.Join('&', parameters.Select(p => WebUtility.UrlEncode(p.Key) + "=" + WebUtility.UrlEncode(p.Value)));
        return data + "&vnp_SecureHash=" + Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(data)));
    }

    private async Task<Payment> PaymentAsync(string txnRef)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Payments.AsNoTracking().SingleAsync(p => p.TxnRef == txnRef, Cancel);
    }

    private async Task<List<Payment>> PaymentsOfAsync(Guid dossierId)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Payments.AsNoTracking().Where(p => p.DossierId == dossierId).ToListAsync(Cancel);
    }

    private async Task WithDbAsync(Func<AppDbContext, Task<int>> work)
    {
        using var scope = portal.Services.CreateScope();
        await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class PaymentTestsOnSqlite(SqlitePortal portal) : PaymentTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class PaymentTestsOnPostgreSql(PostgresPortal portal) : PaymentTests(portal);
