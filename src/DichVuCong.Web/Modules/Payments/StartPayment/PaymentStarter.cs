using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Payments.StartPayment;

/// <summary>A payment under way: where to send the payer.</summary>
internal sealed record StartedPayment(string TxnRef, long Amount, string PaymentUrl);

/// <summary>Why a payment could not be started, in the citizen's words; null <see cref="Problem"/> means not found.</summary>
internal sealed record StartRefusal(int Status, string? Problem);

/// <summary>
/// Starts paying a dossier's fee, for the page <c>/thanh-toan</c>, the dossier page and the API alike: only the owner,
/// only while a fee is owed. A pending payment that the gateway still accepts is handed out again rather than a new one
/// made, so a double click or a second tab does not start two payments.
/// </summary>
internal sealed class PaymentStarter(AppDbContext db, IPaymentGateway gateway, IOptions<PaymentOptions> options, TimeProvider time)
{
    public const string AlreadyPaid = "Hồ sơ đã được thanh toán";

    public const string NoFee = "Hồ sơ này không có phí, lệ phí phải nộp.";

    /// <summary>Dossiers no longer being decided owe nothing more.</summary>
    public static readonly DossierStatus[] Closed = [DossierStatus.Withdrawn, DossierStatus.Refused, DossierStatus.Stopped];

    public async Task<(StartedPayment? Started, StartRefusal? Refusal)> StartAsync(Guid dossierId, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return (null, new StartRefusal(StatusCodes.Status503ServiceUnavailable, "Thanh toán trực tuyến chưa được mở trên Cổng. Bạn có thể nộp phí, lệ phí tại Bộ phận Một cửa."));
        }

        var dossier = await db.Dossiers.AsNoTracking().OwnedBy(user).Where(d => d.Id == dossierId && d.Status != DossierStatus.Draft)
            .Select(d => new { d.Id, d.Code, d.FeeAmount, d.PaidAt, d.Status }).SingleOrDefaultAsync(cancellationToken);
        if (dossier is null)
        {
            return (null, new StartRefusal(StatusCodes.Status404NotFound, null));
        }

        if (dossier.PaidAt is not null || await db.Payments.AnyAsync(p => p.DossierId == dossierId && p.State == PaymentState.Paid, cancellationToken))
        {
            return (null, new StartRefusal(StatusCodes.Status409Conflict, AlreadyPaid));
        }

        if (Closed.Contains(dossier.Status))
        {
            return (null, new StartRefusal(StatusCodes.Status409Conflict, "Hồ sơ đã rút, bị từ chối hoặc dừng giải quyết nên không phải nộp phí, lệ phí."));
        }

        if (dossier.FeeAmount is not > 0)
        {
            return (null, new StartRefusal(StatusCodes.Status409Conflict, NoFee));
        }

        var now = time.GetUtcNow().UtcDateTime;
        // Reused only with a few minutes left, so the payer is not sent to a page about to refuse them.
        var reusableUntil = now + TimeSpan.FromMinutes(3);
        var payment = await db.Payments
            .Where(p => p.DossierId == dossierId && p.State == PaymentState.Pending && p.Channel == PaymentChannel.Online && p.Amount == dossier.FeeAmount && p.ExpiresAt > reusableUntil)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        if (payment is null)
        {
            payment = Payment.StartOnline(dossierId, dossier.FeeAmount.Value, gateway.Provider, now, options.Value.PendingExpiry);
            db.Payments.Add(payment);
            await db.SaveChangesAsync(cancellationToken);
        }

        var returnUrl = $"{http.Request.Scheme}://{http.Request.Host}/thanh-toan/ket-qua";
        var url = gateway.CreatePaymentUrl(new PaymentOrder(
            payment.TxnRef, payment.Amount, OrderInfo(dossier.Code), payment.CreatedAt, payment.ExpiresAt,
            http.Connection.RemoteIpAddress?.MapToIPv4().ToString() ?? "127.0.0.1", returnUrl));
        return (new StartedPayment(payment.TxnRef, payment.Amount, url), null);
    }

    /// <summary>vnp_OrderInfo: without diacritics or special characters, as VNPay asks; the same text is sent again with QueryDR.</summary>
    public static string OrderInfo(string? dossierCode) => VietnameseText.Plain("Thanh toan phi le phi ho so " + dossierCode);

    /// <summary>POST /api/v1/dossiers/{id}/payments.</summary>
    public static void MapStartPayment(IEndpointRouteBuilder api) =>
        api.MapPost("/dossiers/{id:guid}/payments", async Task<Results<Ok<StartedPayment>, NotFound, ProblemHttpResult>> (Guid id, HttpContext http, PaymentStarter starter, CancellationToken cancellationToken) =>
            {
                var (started, refusal) = await starter.StartAsync(id, http.User, http, cancellationToken);
                if (started is not null)
                {
                    return TypedResults.Ok(started);
                }

                return refusal!.Problem is null
                    ? TypedResults.NotFound()
                    : TypedResults.Problem(title: refusal.Status == StatusCodes.Status409Conflict && refusal.Problem == AlreadyPaid ? AlreadyPaid : "Không thể thanh toán", detail: refusal.Problem, statusCode: refusal.Status);
            })
            .RequireAuthorization()
            .DisableAntiforgery()
            .WithName("StartPayment")
            .WithSummary("Bắt đầu thanh toán trực tuyến phí, lệ phí của hồ sơ: trả về mã giao dịch, số tiền (VND) và địa chỉ cổng thanh toán để chuyển người nộp tới");
}
