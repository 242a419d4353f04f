using System.Net;
using System.Net.Http.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Payments;
using DichVuCong.Web.Modules.Processing;
using DichVuCong.Web.Modules.Processing.DeliverByPost;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Applicant = DichVuCong.Tests.Modules.Processing.Applicant;

namespace DichVuCong.Tests.Modules.Payments;

/// <summary>
/// Thu hộ (COD): a result waiting only for its fee goes out by post with the fee collected on delivery, through the
/// officer's real post action and the sandbox carrier; the carrier's report of the money collected is the payment.
/// </summary>
public abstract class CashOnDeliveryTests(PortalFixture portal)
{
    private const long Fee = 8_000;
    private const string Address = "Số 7, ngõ 3, phường Hòa Bình, tỉnh Nam Hà";

    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private sealed record Waiting(Guid Id, string Code, Applicant Applicant, Officer Reception);

    /// <summary>A khai sinh dossier with a fee, taken to "Có kết quả"; its process makes it wait for the fee before hand-back.</summary>
    private async Task<Waiting> ResultReadyAsync(DeliveryMethod delivery, long? fee)
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant, delivery: delivery, deliveryAddress: delivery == DeliveryMethod.Post ? Address : null);
        if (fee is { } amount)
        {
            using var scope = portal.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Dossiers.SingleAsync(d => d.Id == id, Cancel)).SetFee(amount, "Lệ phí đăng ký khai sinh");
            await db.SaveChangesAsync(Cancel);
        }

        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var clock = TimeProvider.System;
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.Receive)).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, await desk.OfficerAsync(a, Roles.Specialist), id, WorkflowAction.Forward, new ActionInput { Note = "Đã ghi sổ" })).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, await desk.OfficerAsync(a, Roles.Leader), id, WorkflowAction.Approve, new ActionInput { Note = "Đã ký" })).Kind);
        using (var pdf = new MemoryStream(Dossiers.SampleFiles.Pdf()))
        {
            Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.AttachResult, new ActionInput { Files = [new ActionFile("trich-luc-khai-sinh.pdf", pdf)] })).Kind);
        }

        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.ResultReady)).Kind);
        return new Waiting(id, code, applicant, reception);
    }

    private async Task<Shipment> ShipmentAsync(Guid dossierId)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<Shipment>().AsNoTracking().SingleAsync(s => s.DossierId == dossierId, Cancel);
    }

    private async Task<List<Payment>> PaymentsOfAsync(Guid dossierId)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Payments.AsNoTracking().Where(p => p.DossierId == dossierId).ToListAsync(Cancel);
    }

    private async Task<HttpResponseMessage> WebhookAsync(object report)
    {
        using var client = portal.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/postal/webhook", UriKind.Relative)) { Content = JsonContent.Create(report) };
        request.Headers.Add(PostalWebhook.SecretHeader, DeliverResultTests.Secret);
        return await client.SendAsync(request, Cancel);
    }

    /// <summary>Presses a button of the sandbox carrier's page, which reports to the portal's webhook (its COD amount as collected on delivered).</summary>
    private static async Task AdvanceAsync(HttpClient carrier, string tracking, string status)
    {
        var page = await carrier.GetPageAsync("/sandbox/buu-chinh");
        using var pressed = await carrier.SubmitAsync(page, $"#bao-{tracking}-{status}", new Dictionary<string, string>());
        var after = await carrier.FollowAsync(pressed);
        Assert.StartsWith("Đã báo Cổng: " + tracking, after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posted_with_cash_on_delivery_the_dossier_is_paid_when_the_carrier_reports_the_fee_collected()
    {
        var waiting = await ResultReadyAsync(DeliveryMethod.Post, Fee);
        var before = await desk.LoadAsync(waiting.Id);
        Assert.Equal(DossierStatus.AwaitingPayment, before.Status);

        using var officer = await desk.BrowserAsync(waiting.Reception);
        var page = await officer.GetPageAsync($"/can-bo/ho-so/{waiting.Id}");
        Assert.Equal("Thu hộ phí, lệ phí khi giao (COD) 8.000 đ", page.QuerySelector("#hand-back-cod label").Text());

        // Without the box ticked the officer is told why nothing happened.
        using (var unticked = await officer.SubmitAsync(page, "#form-hand-back", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Conflict, unticked.StatusCode);
            Assert.Contains("chờ thanh toán phí, lệ phí", (await Html.ParseAsync(unticked)).QuerySelector("#loi-thao-tac").Text(), StringComparison.Ordinal);
        }

        using var posted = await officer.SubmitAsync(page, "#form-hand-back", new Dictionary<string, string> { ["CollectOnDelivery"] = "true" });
        var after = await officer.FollowAsync(posted);
        Assert.Equal("Có kết quả, chờ trả", after.QuerySelector("#trang-thai").Text());
        Assert.Contains("Cần thu 8.000 đ", after.QuerySelector("#buu-gui .cod").Text(), StringComparison.Ordinal);
        var sent = await desk.LoadAsync(waiting.Id);
        Assert.Equal((DossierStatus.ResultReady, (DateTime?)null, (DateTime?)null), (sent.Status, sent.ClockPausedAt, sent.PaidAt));
        Assert.NotNull(sent.PostedAt);
        Assert.True(sent.DueAt >= before.DueAt, "the due date moves by the wait, never back");
        var shipment = await ShipmentAsync(waiting.Id);
        Assert.Equal(Fee, shipment.CodAmount);
        using (var scope = portal.Services.CreateScope())
        {
            var order = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<SandboxPostalOrder>().AsNoTracking().SingleAsync(o => o.TrackingNumber == shipment.TrackingNumber, Cancel);
            Assert.Equal(Fee, order.CodAmount);
        }

        using var carrier = portal.CreateClient();
        await AdvanceAsync(carrier, shipment.TrackingNumber, "accepted");
        await AdvanceAsync(carrier, shipment.TrackingNumber, "in_transit");
        await AdvanceAsync(carrier, shipment.TrackingNumber, "delivered");

        var done = await desk.LoadAsync(waiting.Id);
        Assert.Equal(DossierStatus.Completed, done.Status);
        Assert.NotNull(done.PaidAt);
        var payment = Assert.Single(await PaymentsOfAsync(waiting.Id));
        Assert.Equal((PaymentChannel.PostalCod, PaymentState.Paid, "postal", Fee, shipment.TrackingNumber), (payment.Channel, payment.State, payment.Provider, payment.Amount, payment.GatewayTransactionNo));
        var history = (await officer.GetPageAsync($"/can-bo/ho-so/{waiting.Id}")).QuerySelector("#lich-su-thanh-toan tbody tr").Text();
        Assert.Contains("Thu hộ qua bưu chính", history, StringComparison.Ordinal);
        Assert.Contains("Đã thanh toán", history, StringComparison.Ordinal);
        using var citizen = await Accounts.BackOffice.SignedInAsync(portal.Factory, waiting.Applicant.UserName, waiting.Applicant.Password);
        Assert.Contains("Thu hộ qua bưu chính", (await citizen.GetPageAsync("/thanh-toan")).QuerySelector("#lich-su-thanh-toan").Text(), StringComparison.Ordinal);

        // The carrier repeating itself records no second payment.
        using (var repeated = await WebhookAsync(new { trackingNumber = shipment.TrackingNumber, status = "delivered", codCollected = Fee }))
        {
            Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        }

        Assert.Single(await PaymentsOfAsync(waiting.Id));
    }

    [Fact]
    public async Task Delivered_without_the_fee_collected_completes_but_the_fee_stays_owed()
    {
        var waiting = await ResultReadyAsync(DeliveryMethod.Post, Fee);
        using var officer = await desk.BrowserAsync(waiting.Reception);
        using (var handed = await officer.PostAsJsonAsync(new Uri($"/api/v1/backoffice/dossiers/{waiting.Id}/actions/hand-back", UriKind.Relative), new { collectOnDelivery = true }, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        }

        var tracking = (await ShipmentAsync(waiting.Id)).TrackingNumber;
        using (var delivered = await WebhookAsync(new { trackingNumber = tracking, status = "delivered", at = DateTimeOffset.UtcNow }))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        var done = await desk.LoadAsync(waiting.Id);
        Assert.Equal(DossierStatus.Completed, done.Status);
        Assert.True(done.FeeOwed);
        Assert.Empty(await PaymentsOfAsync(waiting.Id));
        var page = await officer.GetPageAsync($"/can-bo/ho-so/{waiting.Id}");
        Assert.Equal("Chưa thu được tiền thu hộ", page.QuerySelector("#buu-gui .cod-missing").Text());
        Assert.Contains("chưa thanh toán", page.QuerySelector("#phi-le-phi").Text(), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#form-thu-phi"));
    }

    [Fact]
    public async Task Collected_on_delivery_for_a_dossier_paid_meanwhile_is_kept_for_a_refund()
    {
        var waiting = await ResultReadyAsync(DeliveryMethod.Post, Fee);
        using var officer = await desk.BrowserAsync(waiting.Reception);
        using (var handed = await officer.PostAsJsonAsync(new Uri($"/api/v1/backoffice/dossiers/{waiting.Id}/actions/hand-back", UriKind.Relative), new { collectOnDelivery = true }, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        }

        // The applicant came to the desk and paid while the result was on its way; the carrier still collected.
        using (var paid = await officer.PostAsync(new Uri($"/api/v1/backoffice/dossiers/{waiting.Id}/payments/desk", UriKind.Relative), null, Cancel))
        {
            Assert.Equal(HttpStatusCode.NoContent, paid.StatusCode);
        }

        var tracking = (await ShipmentAsync(waiting.Id)).TrackingNumber;
        using (var delivered = await WebhookAsync(new { trackingNumber = tracking, status = "delivered", codCollected = Fee }))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        Assert.Equal(DossierStatus.Completed, (await desk.LoadAsync(waiting.Id)).Status);
        var payments = await PaymentsOfAsync(waiting.Id);
        Assert.Equal(PaymentChannel.Desk, Assert.Single(payments, p => p.State == PaymentState.Paid).Channel);
        Assert.Equal(PaymentChannel.PostalCod, Assert.Single(payments, p => p.State == PaymentState.RefundDue).Channel);
        Assert.NotNull((await officer.GetPageAsync("/can-bo/hoan-tien")).QuerySelector($"#hoan-tien-{payments.Single(p => p.State == PaymentState.RefundDue).TxnRef}"));
    }

    [Fact]
    public async Task Cash_on_delivery_is_offered_only_for_a_result_by_post_waiting_for_its_fee()
    {
        // By post but owing nothing: the post form, without the box; asking for COD anyway is refused.
        var free = await ResultReadyAsync(DeliveryMethod.Post, fee: null);
        using var officer = await desk.BrowserAsync(free.Reception);
        var page = await officer.GetPageAsync($"/can-bo/ho-so/{free.Id}");
        Assert.NotNull(page.QuerySelector("#form-hand-back"));
        Assert.Null(page.QuerySelector("#hand-back-cod"));
        using (var asked = await officer.PostAsJsonAsync(new Uri($"/api/v1/backoffice/dossiers/{free.Id}/actions/hand-back", UriKind.Relative), new { collectOnDelivery = true }, Cancel))
        {
            Assert.Equal(HttpStatusCode.Conflict, asked.StatusCode);
        }

        Assert.Null((await desk.LoadAsync(free.Id)).PostedAt);

        // At the desk and owing: it waits for the payment, with no hand-back and no COD to offer.
        var atDesk = await ResultReadyAsync(DeliveryMethod.AtDesk, Fee);
        using var deskOfficer = await desk.BrowserAsync(atDesk.Reception);
        var deskPage = await deskOfficer.GetPageAsync($"/can-bo/ho-so/{atDesk.Id}");
        Assert.Equal("Chờ thanh toán", deskPage.QuerySelector("#trang-thai").Text());
        Assert.Null(deskPage.QuerySelector("#form-hand-back"));
        Assert.Null(deskPage.QuerySelector("#hand-back-cod"));
    }
}

public sealed class CashOnDeliveryTestsOnSqlite(PostalSqlitePortal portal) : CashOnDeliveryTests(portal), IClassFixture<PostalSqlitePortal>;

public sealed class CashOnDeliveryTestsOnPostgreSql(PostalPostgresPortal portal) : CashOnDeliveryTests(portal), IClassFixture<PostalPostgresPortal>;
