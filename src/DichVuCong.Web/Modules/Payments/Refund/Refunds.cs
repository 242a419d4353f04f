using System.Security.Claims;
using System.Text.Json.Serialization;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Payments.Refund;

/// <summary>A payment to be refunded, as the officer works through them: whose money, how much, how it came in (Online, Desk, PostalCod).</summary>
internal sealed record RefundRow(
    string TxnRef, Guid DossierId, string? DossierCode, string ApplicantName, long Amount,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PaymentChannel>))] PaymentChannel Channel, DateTime? PaidAt, string? BankCode, string? GatewayTransactionNo);

/// <summary>The body of <c>POST /api/v1/backoffice/payments/{txnRef}/refund</c>: how and where the money went back.</summary>
internal sealed record RefundRequest(string? Note);

/// <summary>
/// Money taken for a dossier already paid (<see cref="PaymentState.RefundDue"/>) goes back to the payer by hand: the
/// reception or a leader of the dossier's agency transfers it and records how (<see cref="PaymentState.Refunded"/>).
/// Other agencies' payments are not found, so nothing about them is revealed; a payment refunded already, by a
/// double submit or another officer, is a conflict (the state is a concurrency token for two at the same moment).
/// </summary>
internal sealed class Refunds(AppDbContext db, CatalogIndex catalog, TimeProvider time)
{
    public const string NoteField = "note";

    /// <summary>Who works through refunds: the Bộ phận Một cửa that takes the money, and the leaders.</summary>
    public const string AllowedRoles = Accounts.Roles.Reception + "," + Accounts.Roles.Leader;

    public async Task<List<RefundRow>> ListAsync(ClaimsPrincipal officer, CancellationToken cancellationToken)
    {
        var covered = (await AgencyScope.CoveredAsync(officer, catalog, cancellationToken)).ToList();
        return await (from p in db.Payments.AsNoTracking()
                      join d in db.Dossiers on p.DossierId equals d.Id
                      where p.State == PaymentState.RefundDue && covered.Contains(d.AgencyId)
                      orderby p.PaidAt
                      select new RefundRow(p.TxnRef, d.Id, d.Code, d.Applicant.FullName, p.Amount, p.Channel, p.PaidAt, p.BankCode, p.GatewayTransactionNo))
            .Take(200)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Null when recorded; else the HTTP status and the message (for 400, the note's).</summary>
    public async Task<(int Status, string Message)?> MarkRefundedAsync(ClaimsPrincipal officer, string txnRef, string? note, CancellationToken cancellationToken)
    {
        var covered = (await AgencyScope.CoveredAsync(officer, catalog, cancellationToken)).ToList();
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.TxnRef == txnRef && db.Dossiers.Any(d => d.Id == p.DossierId && covered.Contains(d.AgencyId)), cancellationToken);
        if (payment is null)
        {
            return (StatusCodes.Status404NotFound, "Không tìm thấy khoản thanh toán này trong các cơ quan của bạn.");
        }

        if (string.IsNullOrWhiteSpace(note) || note.Trim().Length > PaymentMapping.RefundNoteLength)
        {
            return (StatusCodes.Status400BadRequest, string.IsNullOrWhiteSpace(note)
                ? "Nhập cách đã hoàn tiền, ví dụ: Đã chuyển khoản hoàn tiền, số UNC 123456."
                : $"Ghi chú dài quá {Formats.Number(PaymentMapping.RefundNoteLength)} ký tự; hãy viết gọn lại.");
        }

        if (!payment.MarkRefunded(UserClaims.Id(officer)!.Value, note.Trim(), time.GetUtcNow().UtcDateTime))
        {
            return (StatusCodes.Status409Conflict, Stale(payment));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return (StatusCodes.Status409Conflict, "Khoản này vừa được cán bộ khác ghi nhận hoàn tiền. Hãy xem lại danh sách.");
        }

        return null;
    }

    private static string Stale(Payment payment) => payment.State == PaymentState.Refunded
        ? $"Khoản {payment.TxnRef} đã được ghi nhận hoàn tiền lúc {Formats.DateTime(payment.RefundedAt!.Value)}; không cần ghi lại."
        : $"Khoản {payment.TxnRef} không chờ hoàn tiền (trạng thái: {PaymentStates.Label(payment.State).ToLowerInvariant()}).";

    /// <summary>GET /api/v1/backoffice/refunds and POST /api/v1/backoffice/payments/{txnRef}/refund.</summary>
    public static void MapRefunds(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backoffice").RequireAuthorization(new AuthorizeAttribute { Policy = Policies.Officer, Roles = AllowedRoles })
            .DisableAntiforgery().WithTags("BackOffice");
        group.MapGet("/refunds", async (HttpContext http, Refunds refunds, CancellationToken cancellationToken) =>
                TypedResults.Ok(await refunds.ListAsync(http.User, cancellationToken)))
            .WithName("ListRefunds")
            .WithSummary("Các khoản đã thu nhưng hồ sơ đã được thanh toán trước đó, chờ hoàn tiền, của các cơ quan của cán bộ (tiếp nhận hoặc lãnh đạo)");
        group.MapPost("/payments/{txnRef}/refund", async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> (string txnRef, RefundRequest request, HttpContext http, Refunds refunds, CancellationToken cancellationToken) =>
                await refunds.MarkRefundedAsync(http.User, txnRef, request.Note, cancellationToken) switch
                {
                    null => TypedResults.NoContent(),
                    (StatusCodes.Status400BadRequest, var message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [NoteField] = [message] }, title: "Thiếu thông tin hoàn tiền"),
                    var (status, message) => TypedResults.Problem(title: "Không ghi nhận được hoàn tiền", detail: message, statusCode: status),
                })
            .WithName("RefundPayment")
            .WithSummary("Ghi nhận đã hoàn tiền một khoản chờ hoàn tiền, với ghi chú cách hoàn (note, ví dụ số ủy nhiệm chi); 409 khi khoản đó không còn chờ hoàn tiền");
    }
}
