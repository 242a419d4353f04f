using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.LookUpDossier;

/// <summary>
/// What anyone holding a dossier's code may know of it: never the full name, the ID, the address or the files.
/// <see cref="DossierId"/> is for the portal's own records (an SMS reply tied to the dossier), never shown.
/// </summary>
internal sealed record LookedUp(
    string Code, string ProcedureName, string ApplicantMasked, DateTime? SubmittedAt, DateTime? ReceivedAt, DateTime? DueAt, DateTime? FinishedAt,
    DossierStatus Status, string AgencyName, Guid DossierId);

/// <summary>The public lookup by dossier code (SPEC §4, privacy), shared by the page <c>/tra-cuu</c>, the API and the SMS lookup.</summary>
internal static class DossierLookup
{
    public static async Task<LookedUp?> FindAsync(AppDbContext db, CatalogIndex catalog, string code, CancellationToken cancellationToken)
    {
        var key = code.Trim().ToUpperInvariant();
        var row = await db.Dossiers.AsNoTracking()
            .Where(d => d.Code == key && d.Status != DossierStatus.Draft)
            .Select(d => new { d.Id, d.Code, d.ProcedureId, d.AgencyId, d.Status, d.Applicant.FullName, d.SubmittedAt, d.ReceivedAt, d.DueAt, d.FinishedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var snapshot = await catalog.GetAsync(cancellationToken);
        return new LookedUp(
            row.Code!,
            snapshot.Procedures.FirstOrDefault(p => p.Id == row.ProcedureId)?.Name ?? "—",
            MaskName(row.FullName),
            row.SubmittedAt,
            row.ReceivedAt,
            row.DueAt,
            row.FinishedAt,
            row.Status,
            snapshot.Agencies.Find(row.AgencyId)?.Name ?? "—",
            row.Id);
    }

    /// <summary>"Nguyễn Văn An" → "Nguyễn V** A**": the family name, then each other word's first letter.</summary>
    public static string MaskName(string fullName)
    {
        var words = fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 0 ? "—" : string.Join(' ', words.Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + "**"));
    }

    internal sealed record LookupView(string Code, string ProcedureName, string ApplicantMasked, DateTime? ReceivedAt, DateTime? DueAt, string Status, string StatusText, string AgencyName);

    public static void MapLookup(this IEndpointRouteBuilder api) =>
        api.MapGet("/lookup/{code}", async Task<Results<Ok<LookupView>, ProblemHttpResult>> (string code, AppDbContext db, CatalogIndex catalog, CancellationToken cancellationToken) =>
                await FindAsync(db, catalog, code, cancellationToken) is { } d
                    ? TypedResults.Ok(new LookupView(d.Code, d.ProcedureName, d.ApplicantMasked, d.ReceivedAt, d.DueAt, DossierStatuses.Code(d.Status), DossierStatuses.Label(d.Status), d.AgencyName))
                    : TypedResults.Problem(title: "Không tìm thấy hồ sơ", detail: $"Không có hồ sơ mã “{code}”. Kiểm tra lại mã trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.", statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous()
            .RequireRateLimiting(Policies.LookupRateLimit)
            .WithName("LookUpDossier")
            .WithSummary("Tra cứu công khai một hồ sơ theo mã: thủ tục, tên người nộp đã che, ngày tiếp nhận, ngày hẹn trả, trạng thái, cơ quan");
}
