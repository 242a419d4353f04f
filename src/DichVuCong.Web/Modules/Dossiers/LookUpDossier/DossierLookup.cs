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
    /// <summary>
    /// One dossier by its code. A code that finds nothing costs the same as one that does (the one query, then the
    /// catalog), so the time of the answer does not tell whether a code exists.
    /// </summary>
    public static async Task<LookedUp?> FindAsync(AppDbContext db, CatalogIndex catalog, string code, CancellationToken cancellationToken)
    {
        var key = code.Trim().ToUpperInvariant();
        var row = await db.Dossiers.AsNoTracking().Where(d => d.Code == key && d.Status != DossierStatus.Draft).Select(Projection).FirstOrDefaultAsync(cancellationToken);
        var snapshot = await catalog.GetAsync(cancellationToken);
        return row is null ? null : Describe(row, snapshot);
    }

    /// <summary>The submitted dossiers of one applicant's CCCD/CMND, newest first, told as <see cref="FindAsync"/> tells one.</summary>
    public static async Task<List<LookedUp>> ListAsync(AppDbContext db, CatalogIndex catalog, string identityNumber, CancellationToken cancellationToken)
    {
        var rows = await db.Dossiers.AsNoTracking()
            .Where(d => d.Applicant.IdentityNumber == identityNumber && d.Status != DossierStatus.Draft)
            .OrderByDescending(d => d.SubmittedAt)
            .Select(Projection)
            .Take(100)
            .ToListAsync(cancellationToken);
        var snapshot = await catalog.GetAsync(cancellationToken);
        return rows.ConvertAll(r => Describe(r, snapshot));
    }

    /// <summary>The columns the lookup may read: the full name only to mask it, never the ID, the contacts or the files.</summary>
    private sealed record Row(Guid Id, string? Code, int ProcedureId, int AgencyId, DossierStatus Status, string FullName, DateTime? SubmittedAt, DateTime? ReceivedAt, DateTime? DueAt, DateTime? FinishedAt);

    private static readonly System.Linq.Expressions.Expression<Func<Dossier, Row>> Projection =
        d => new Row(d.Id, d.Code, d.ProcedureId, d.AgencyId, d.Status, d.Applicant.FullName, d.SubmittedAt, d.ReceivedAt, d.DueAt, d.FinishedAt);

    private static LookedUp Describe(Row row, CatalogIndex.Snapshot snapshot) => new(
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
                    : TypedResults.Problem(title: "Không tìm thấy hồ sơ", detail: $"Không có hồ sơ mã “{code}”. Mã hồ sơ in ở đầu Giấy tiếp nhận hồ sơ và hẹn trả kết quả, trong email hoặc tin nhắn báo đã nộp. Không có mã, người nộp tra cứu bằng số CCCD/CMND tại /tra-cuu.", statusCode: StatusCodes.Status404NotFound))
            .AllowAnonymous()
            .RequireRateLimiting(Policies.LookupRateLimit)
            .WithName("LookUpDossier")
            .WithSummary("Tra cứu công khai một hồ sơ theo mã: thủ tục, tên người nộp đã che, ngày tiếp nhận, ngày hẹn trả, trạng thái, cơ quan");
}
