using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DichVuCong.Web.Modules.Processing.Inbox;

internal sealed record InboxView(string View, IReadOnlyDictionary<string, int> Counts, int Total, int Page, int PageSize, IReadOnlyList<InboxItem> Items);

internal sealed record InboxItem(Guid Id, string? Code, string Procedure, string Agency, string Applicant, string Status, string StatusLabel, string Step, DateTime? SubmittedAt, DateTime? DueAt, bool Overdue, string? AssignedTo, string? RemainingWorkingTime);

/// <summary><c>GET /api/v1/backoffice/inbox</c>: the inbox page as JSON.</summary>
internal static class InboxEndpoints
{
    public static void MapInbox(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/backoffice").RequireAuthorization(Policies.Officer).WithTags("BackOffice")
            .MapGet("/inbox", ListAsync).WithName("Inbox")
            .WithSummary("Hồ sơ cần xử lý: view = cua-toi, moi, cho-bo-sung, sap-den-han, qua-han, tat-ca; agencyCode, procedureCode, status, q (mã, tên, CCCD), page");
    }

    private static async Task<Results<Ok<InboxView>, ValidationProblem>> ListAsync(
        string? view, string? agencyCode, string? procedureCode, string? status, string? q, int? page, HttpContext http, InboxQuery inbox, CatalogIndex catalog, CancellationToken cancellationToken)
    {
        var chosen = view ?? InboxQuery.DefaultView(http.User);
        if (!InboxQuery.Views.Any(v => v.Code == chosen))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["view"] = ["Một trong: " + string.Join(", ", InboxQuery.Views.Select(v => v.Code))] });
        }

        var snapshot = await catalog.GetAsync(cancellationToken);
        int? agencyId = null, procedureId = null;
        if (agencyCode is not null)
        {
            agencyId = snapshot.Agencies.Find(agencyCode)?.Id ?? -1;
        }

        if (procedureCode is not null)
        {
            procedureId = snapshot.Procedures.FirstOrDefault(p => p.Code == procedureCode)?.Id ?? -1;
        }

        var wanted = DossierStatuses.Parse(status);
        if (status is not null && wanted is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Trạng thái là một trong: " + string.Join(", ", DossierStatuses.All.Select(DossierStatuses.Code))] });
        }

        var result = await inbox.RunAsync(http.User, new InboxFilter(chosen, agencyId, procedureId, wanted, q, page ?? 1), cancellationToken);
        return TypedResults.Ok(new InboxView(chosen, result.Counts, result.Total, result.Page, result.PageSize, [.. result.Rows.Select(r => new InboxItem(
            r.Id, r.Code, r.Procedure, r.Agency, r.Applicant, DossierStatuses.Code(r.Status), DossierStatuses.Label(r.Status), r.Step, r.SubmittedAt, r.DueAt, r.Overdue, r.AssignedTo, r.Remaining))]));
    }
}
