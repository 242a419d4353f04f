using System.Text.Json.Serialization;
using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Payments.ConfirmPayment;

/// <summary>What applying a gateway's answer did; the IPN's RspCode follows from it.</summary>
internal enum ConfirmationOutcome
{
    Applied,
    NotFound,
    InvalidAmount,
    AlreadyConfirmed,

    /// <summary>A query that could not tell; the payment stays pending.</summary>
    Undecided,
}

/// <summary>The IPN's answer, in the names VNPay reads.</summary>
internal sealed record IpnAnswer([property: JsonPropertyName("RspCode")] string RspCode, [property: JsonPropertyName("Message")] string Message);

/// <summary>
/// The one place a payment is settled by its gateway, for the IPN and for reconciliation alike. Only a verified answer
/// reaches it; it finds the payment, checks the amount, and settles a pending payment once. A payment that succeeds for a
/// dossier already paid by another is kept as <see cref="PaymentState.RefundDue"/>, never as a second Paid.
/// </summary>
internal sealed partial class PaymentConfirmation(AppDbContext db, Processing.DossierClock clock, TimeProvider time, ILogger<PaymentConfirmation> logger)
{
    public async Task<ConfirmationOutcome> ApplyAsync(GatewayResult result, CancellationToken cancellationToken)
    {
        if (!result.SignatureValid)
        {
            throw new ArgumentException("Only a verified gateway answer can settle a payment.", nameof(result));
        }

        // A concurrent answer for the same payment or dossier makes the save fail; the second try sees what it did.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryApplyAsync(result, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<ConfirmationOutcome> TryApplyAsync(GatewayResult result, CancellationToken cancellationToken)
    {
        var payment = result.TxnRef is null ? null : await db.Payments.SingleOrDefaultAsync(p => p.TxnRef == result.TxnRef, cancellationToken);
        if (payment is null)
        {
            return ConfirmationOutcome.NotFound;
        }

        if (result.Amount != payment.Amount)
        {
            LogWrongAmount(logger, payment.TxnRef);
            return ConfirmationOutcome.InvalidAmount;
        }

        if (!payment.IsPending)
        {
            return ConfirmationOutcome.AlreadyConfirmed;
        }

        var now = time.GetUtcNow().UtcDateTime;
        switch (result.Outcome)
        {
            case GatewayOutcome.Paid:
                var dossier = await db.Dossiers.SingleAsync(d => d.Id == payment.DossierId, cancellationToken);
                if (dossier.PaidAt is not null)
                {
                    payment.MarkRefundDue(now, result.TransactionNo, result.BankCode, result.ResponseCode);
                    LogRefundDue(logger, payment.TxnRef);
                }
                else
                {
                    payment.MarkPaid(now, result.TransactionNo, result.BankCode, result.ResponseCode);
                    await clock.MarkPaidAsync(dossier, $"Đã thanh toán phí, lệ phí trực tuyến {Common.Web.Formats.Money(payment.Amount)} (mã giao dịch {payment.TxnRef})", now, cancellationToken);
                }

                break;
            case GatewayOutcome.Failed:
                payment.MarkFailed(result.TransactionNo, result.BankCode, result.ResponseCode);
                break;
            case GatewayOutcome.Cancelled:
                payment.MarkCancelled(result.ResponseCode);
                break;
            default:
                return ConfirmationOutcome.Undecided;
        }

        await db.SaveChangesAsync(cancellationToken);
        LogSettled(logger, payment.TxnRef, payment.State);
        return ConfirmationOutcome.Applied;
    }

    /// <summary>GET /api/v1/payments/vnpay/ipn: VNPay's server calls it; it answers 200 with RspCode whatever happened.</summary>
    public static void MapIpn(IEndpointRouteBuilder api) =>
        api.MapGet("/payments/vnpay/ipn", async Task<Ok<IpnAnswer>> (HttpContext http, IPaymentGateway gateway, PaymentConfirmation confirmation, ILogger<PaymentConfirmation> log, CancellationToken cancellationToken) =>
            {
                try
                {
                    var result = gateway.VerifyCallback(http.Request.Query);
                    if (!result.SignatureValid)
                    {
                        return TypedResults.Ok(new IpnAnswer("97", "Invalid signature"));
                    }

                    return TypedResults.Ok(await confirmation.ApplyAsync(result, cancellationToken) switch
                    {
                        ConfirmationOutcome.NotFound => new IpnAnswer("01", "Order not found"),
                        ConfirmationOutcome.InvalidAmount => new IpnAnswer("04", "Invalid amount"),
                        ConfirmationOutcome.AlreadyConfirmed => new IpnAnswer("02", "Order already confirmed"),
                        _ => new IpnAnswer("00", "Confirm Success"),
                    });
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogIpnFailed(log, ex);
                    return TypedResults.Ok(new IpnAnswer("99", "Unknown error"));
                }
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("VnPayIpn")
            .WithSummary("IPN của VNPay (máy chủ gọi máy chủ): xác nhận kết quả thanh toán; trả về {RspCode, Message} với 00, 01, 02, 04, 97 hoặc 99");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {TxnRef}: the gateway's amount differs from the order's; nothing changed.")]
    private static partial void LogWrongAmount(ILogger logger, string txnRef);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {TxnRef} succeeded for a dossier already paid; kept for a refund.")]
    private static partial void LogRefundDue(ILogger logger, string txnRef);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {TxnRef} settled: {State}.")]
    private static partial void LogSettled(ILogger logger, string txnRef, PaymentState state);

    [LoggerMessage(Level = LogLevel.Error, Message = "The VNPay IPN could not be handled.")]
    private static partial void LogIpnFailed(ILogger logger, Exception exception);
}
