using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Processing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Payments.IssueReceipt;

/// <summary>
/// The electronic receipt (biên lai điện tử) of a paid payment, as a PDF drawn by Processing's slips engine
/// (<see cref="FeeReceipts"/>). Its number is the payment's TxnRef, so a receipt needs nothing stored. Only money
/// actually taken for the dossier (state Paid) has one. The dossier's owner and the officers of its agency may download
/// it; for anyone else it does not exist (404, never 403, so a TxnRef cannot be probed).
/// </summary>
internal sealed class PaymentReceipts(AppDbContext db, IAuthorizationService authorization, FeeReceipts receipts, IOptions<PaymentOptions> options)
{
    /// <summary>Where the citizen's and the officer's pages link a paid payment's receipt.</summary>
    public static string Url(string txnRef) => $"/thanh-toan/bien-lai/{Uri.EscapeDataString(txnRef)}.pdf";

    /// <summary>The receipt as a PDF and its file name; null when there is none the user may see.</summary>
    public async Task<(byte[] Pdf, string FileName)?> FindAsync(ClaimsPrincipal user, string txnRef, string lookupBase, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.TxnRef == txnRef && p.State == PaymentState.Paid, cancellationToken);
        var dossier = payment is null ? null
            : await db.Dossiers.AsNoTracking().SingleOrDefaultAsync(d => d.Id == payment.DossierId && d.Status != DossierStatus.Draft, cancellationToken);
        if (payment is null || dossier is null || !await MaySeeAsync(user, dossier))
        {
            return null;
        }

        var setting = options.Value.Receipt;
        var row = new PaymentRow(payment.DossierId, dossier.Code, payment.PaidAt!.Value, payment.Amount, payment.Channel, payment.State, payment.TxnRef, payment.BankCode);
        var method = string.Join(" · ", new[]
        {
            row.ChannelText,
            payment.BankCode is null ? null : "Ngân hàng " + payment.BankCode,
            payment.GatewayTransactionNo is null ? null : "Mã giao dịch " + payment.GatewayTransactionNo,
        }.Where(s => s is not null));
        var facts = new FeeReceiptPayment(setting.FormNumber, setting.Symbol, payment.TxnRef, payment.Amount, payment.PaidAt.Value, method)
        {
            CollectedBy = payment.RecordedBy,
        };
        return (await receipts.PdfAsync(dossier, facts, lookupBase, cancellationToken), $"bien-lai-{payment.TxnRef}.pdf");
    }

    /// <summary>The account that submitted the dossier, or an officer (signed in with both factors) of its agency.</summary>
    private async Task<bool> MaySeeAsync(ClaimsPrincipal user, Dossier dossier) =>
        DossierAccess.OwnerId(user) == dossier.OwnerId
        || ((await authorization.AuthorizeAsync(user, Policies.Officer)).Succeeded
            && (await authorization.AuthorizeAsync(user, dossier.AgencyId, AgencyOperations.Process)).Succeeded);

    /// <summary><c>GET /thanh-toan/bien-lai/{txnRef}.pdf</c> for the pages, and the same under /api/v1.</summary>
    public static void MapReceipts(IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        app.MapGet("/thanh-toan/bien-lai/{txnRef}.pdf", DownloadAsync).RequireAuthorization().ExcludeFromDescription();
        api.MapGet("/payments/{txnRef}/receipt", DownloadAsync).RequireAuthorization()
            .WithTags("Payments")
            .WithName("GetPaymentReceipt")
            .WithSummary("Biên lai thu phí, lệ phí điện tử (PDF) của một giao dịch đã thanh toán, cho chủ hồ sơ và cán bộ cơ quan giải quyết")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .Produces(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> DownloadAsync(string txnRef, HttpContext http, PaymentReceipts receipts, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var found = await receipts.FindAsync(http.User, txnRef, $"{request.Scheme}://{request.Host}{request.PathBase}", cancellationToken);
        if (found is not { } receipt)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{receipt.FileName}\"";
        return TypedResults.File(receipt.Pdf, "application/pdf");
    }
}
