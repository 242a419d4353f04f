using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.LookUpDossier;

/// <summary>
/// <c>/tra-cuu?ma=…</c>: anyone with a dossier code (printed on the slips, with a QR code to this address) sees where
/// the dossier is — procedure, agency, status, dates — and the applicant's name masked (SPEC §4, privacy). Never the
/// full name, the ID, the address or the files.
/// </summary>
[AllowAnonymous]
internal sealed class LookUpDossierPageModel(AppDbContext db, CatalogIndex catalog) : PageModel
{
    public string? Code { get; private set; }

    public Found? Result { get; private set; }

    /// <summary>Why the code gave nothing.</summary>
    public string? Error { get; private set; }

    internal sealed record Found(string Code, string Procedure, string Agency, DossierStatus Status, string MaskedName, DateTime? SubmittedAt, DateTime? ReceivedAt, DateTime? DueAt, DateTime? FinishedAt);

    public async Task OnGetAsync(string? ma, CancellationToken cancellationToken)
    {
        if (ma is null)
        {
            return;
        }

        Code = ma.Trim();
        if (Code.Length is 0 or > 64)
        {
            Refuse("Nhập mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.31.H99-261202-0001");
            return;
        }

        var code = Code.ToUpperInvariant();
        var row = await db.Dossiers.AsNoTracking()
            .Where(d => d.Code == code && d.Status != DossierStatus.Draft)
            .Select(d => new { d.Code, d.ProcedureId, d.AgencyId, d.Status, d.Applicant.FullName, d.SubmittedAt, d.ReceivedAt, d.DueAt, d.FinishedAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            Refuse($"Không tìm thấy hồ sơ có mã “{Code}”. Kiểm tra lại mã trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.");
            return;
        }

        var snapshot = await catalog.GetAsync(cancellationToken);
        Result = new Found(
            row.Code!,
            snapshot.Procedures.FirstOrDefault(p => p.Id == row.ProcedureId)?.Name ?? "—",
            snapshot.Agencies.Find(row.AgencyId)?.Name ?? "—",
            row.Status,
            MaskName(row.FullName),
            row.SubmittedAt,
            row.ReceivedAt,
            row.DueAt,
            row.FinishedAt);
    }

    /// <summary>Shown beside the field (the form's partials read the model state) and in the error summary.</summary>
    private void Refuse(string message)
    {
        Error = message;
        ModelState.AddModelError("ma", message);
    }

    /// <summary>"Nguyễn Văn An" → "Nguyễn V** A**": the family name, then each other word's first letter.</summary>
    public static string MaskName(string fullName)
    {
        var words = fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length == 0 ? "—" : string.Join(' ', words.Select((w, i) => i == 0 ? w : char.ToUpperInvariant(w[0]) + "**"));
    }
}
