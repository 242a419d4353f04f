using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Payments.RecordDeskPayment;

/// <summary>
/// An officer of the dossier's agency records the fee paid in cash or by card at the Bộ phận Một cửa. It is a Paid
/// payment like an online one (channel Desk, who took it), under the same rule that a dossier is paid once.
/// </summary>
internal sealed class DeskPayments(AppDbContext db, IAuthorizationService authorization, Processing.DossierClock clock, TimeProvider time)
{
    /// <summary>Null when recorded; else the HTTP status and the officer's message (null message: not found).</summary>
    public async Task<(int Status, string? Problem)?> RecordAsync(ClaimsPrincipal officer, Guid dossierId, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.SingleOrDefaultAsync(d => d.Id == dossierId && d.Status != Dossiers.DossierStatus.Draft, cancellationToken);
        if (dossier is null)
        {
            return (StatusCodes.Status404NotFound, null);
        }

        if (!(await authorization.AuthorizeAsync(officer, dossier.AgencyId, AgencyOperations.Process)).Succeeded)
        {
            return (StatusCodes.Status403Forbidden, "Hồ sơ không thuộc cơ quan của bạn.");
        }

        if (dossier.PaidAt is not null)
        {
            return (StatusCodes.Status409Conflict, StartPayment.PaymentStarter.AlreadyPaid);
        }

        if (dossier.FeeAmount is not > 0)
        {
            return (StatusCodes.Status409Conflict, StartPayment.PaymentStarter.NoFee);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var officerId = UserClaims.Id(officer)!.Value;
        db.Payments.Add(Payment.RecordAtDesk(dossier.Id, dossier.FeeAmount.Value, officerId, now));
        await clock.MarkPaidAsync(dossier, $"Đã nộp phí, lệ phí {Formats.Money(dossier.FeeAmount.Value)} tại Bộ phận Một cửa", now, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // An online payment confirmed at the same moment: the index let only one through.
            return (StatusCodes.Status409Conflict, StartPayment.PaymentStarter.AlreadyPaid);
        }

        return null;
    }

    /// <summary>POST /api/v1/backoffice/dossiers/{id}/payments/desk.</summary>
    public static void MapDeskPayment(IEndpointRouteBuilder api) =>
        api.MapPost("/backoffice/dossiers/{id:guid}/payments/desk", async Task<Results<NoContent, NotFound, ProblemHttpResult>> (Guid id, HttpContext http, DeskPayments desk, CancellationToken cancellationToken) =>
                await desk.RecordAsync(http.User, id, cancellationToken) switch
                {
                    null => TypedResults.NoContent(),
                    { Problem: null } => TypedResults.NotFound(),
                    var (status, problem) => TypedResults.Problem(title: "Không ghi nhận được thanh toán", detail: problem, statusCode: status),
                })
            .RequireAuthorization(Policies.Officer)
            .DisableAntiforgery()
            .WithTags("BackOffice")
            .WithName("RecordDeskPayment")
            .WithSummary("Cán bộ ghi nhận người nộp đã nộp phí, lệ phí của hồ sơ tại Bộ phận Một cửa (tiền mặt hoặc thẻ)");
}
