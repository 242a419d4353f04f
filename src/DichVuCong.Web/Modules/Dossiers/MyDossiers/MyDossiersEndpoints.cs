using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers.SubmitDossier;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.MyDossiers;

internal sealed record WithdrawRequest(string? Reason);

/// <summary>The caller's own dossiers over HTTP: list by status, read one, withdraw one not yet received.</summary>
internal static class MyDossiersEndpoints
{
    public static void MapMyDossiers(this IEndpointRouteBuilder api)
    {
        var dossiers = api.MapGroup("/dossiers").RequireAuthorization().DisableAntiforgery();
        dossiers.MapGet("/", ListAsync).WithName("ListDossiers").WithSummary("Hồ sơ của tôi; lọc theo trạng thái (draft, submitted, received, ...)");
        dossiers.MapGet("/{id:guid}", GetAsync).WithName("GetDossier").WithSummary("Một hồ sơ của tôi, với quá trình xử lý và tệp");
        dossiers.MapPost("/{id:guid}/withdraw", WithdrawAsync).WithName("WithdrawDossier").WithSummary("Rút hồ sơ chưa được tiếp nhận");
        dossiers.MapPost("/{id:guid}/supplement", SupplementAsync).WithName("SupplementDossier")
            .WithSummary("Gửi bổ sung khi cơ quan yêu cầu (trạng thái supplement_requested); tải tệp trước qua POST /dossiers/{id}/files");
    }

    private static async Task<Results<Ok<List<DossierView>>, ValidationProblem>> ListAsync(string? status, HttpContext http, AppDbContext db, CatalogIndex catalog, CancellationToken cancellationToken)
    {
        var wanted = DossierStatuses.Parse(status);
        if (status is not null && wanted is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"Trạng thái là một trong: {string.Join(", ", DossierStatuses.All.Select(DossierStatuses.Code))}"] });
        }

        var dossiers = await db.Dossiers.OwnedBy(http.User).Where(d => wanted == null || d.Status == wanted)
            .OrderByDescending(d => d.UpdatedAt).Take(200).Include(d => d.Files).Include(d => d.Events).AsSplitQuery().ToListAsync(cancellationToken);
        var views = new List<DossierView>(dossiers.Count);
        foreach (var d in dossiers)
        {
            views.Add(await SubmitDossierEndpoints.ViewAsync(d, db, catalog, cancellationToken));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<DossierView>, NotFound>> GetAsync(Guid id, HttpContext http, AppDbContext db, CatalogIndex catalog, Processing.DossierClock clock, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(http.User).Include(d => d.Files).Include(d => d.Events).Include(d => d.Actions).AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return dossier is null ? TypedResults.NotFound()
            : TypedResults.Ok(await SubmitDossierEndpoints.ViewAsync(dossier, db, catalog, cancellationToken) with { RemainingWorkingTime = await clock.RemainingAsync(dossier, cancellationToken) });
    }

    private static async Task<Results<Ok<DossierView>, NotFound, ValidationProblem, Conflict<ProblemDetails>>> SupplementAsync(Guid id, HttpContext http, AppDbContext db, CatalogIndex catalog, Processing.DossierClock clock, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(http.User).Include(d => d.Files).Include(d => d.Events).Include(d => d.Actions).AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dossier is null)
        {
            return TypedResults.NotFound();
        }

        if (dossier.Status != DossierStatus.SupplementRequested)
        {
            return TypedResults.Conflict(new ProblemDetails { Title = "Hồ sơ không chờ bổ sung", Detail = DossierStatuses.Label(dossier.Status), Status = StatusCodes.Status409Conflict });
        }

        if (!dossier.HasSupplementFiles)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["files"] = ["Tải lên ít nhất một tệp bổ sung (POST /dossiers/{id}/files) trước khi gửi."] });
        }

        if (!await clock.ResubmitAsync(dossier, cancellationToken))
        {
            return TypedResults.Conflict(new ProblemDetails { Title = "Hồ sơ vừa thay đổi trạng thái", Status = StatusCodes.Status409Conflict });
        }

        return TypedResults.Ok(await SubmitDossierEndpoints.ViewAsync(dossier, db, catalog, cancellationToken) with { RemainingWorkingTime = await clock.RemainingAsync(dossier, cancellationToken) });
    }

    private static async Task<Results<Ok<DossierView>, NotFound, Conflict<ProblemDetails>>> WithdrawAsync(Guid id, WithdrawRequest? request, HttpContext http, AppDbContext db, CatalogIndex catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(http.User).Include(d => d.Files).Include(d => d.Events).AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dossier is null)
        {
            return TypedResults.NotFound();
        }

        if (!dossier.CanWithdraw)
        {
            return TypedResults.Conflict(new ProblemDetails { Title = "Hồ sơ không rút được ở trạng thái này", Detail = DossierStatuses.Label(dossier.Status), Status = StatusCodes.Status409Conflict });
        }

        dossier.Withdraw(time.GetUtcNow().UtcDateTime, request?.Reason);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await SubmitDossierEndpoints.ViewAsync(dossier, db, catalog, cancellationToken));
    }
}
