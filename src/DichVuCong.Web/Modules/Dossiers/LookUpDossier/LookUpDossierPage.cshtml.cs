using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace DichVuCong.Web.Modules.Dossiers.LookUpDossier;

/// <summary>
/// <c>/tra-cuu?ma=…</c>: anyone with a dossier code (printed on the slips, with a QR code to this address) sees where
/// the dossier is — procedure, agency, status, dates — and the applicant's name masked (SPEC §4, privacy). Never the
/// full name, the ID, the address or the files.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.LookupRateLimit)]
internal sealed class LookUpDossierPageModel(AppDbContext db, CatalogIndex catalog) : PageModel
{
    public string? Code { get; private set; }

    public LookedUp? Result { get; private set; }

    /// <summary>Why the code gave nothing.</summary>
    public string? Error { get; private set; }

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

        Result = await DossierLookup.FindAsync(db, catalog, Code, cancellationToken);
        if (Result is null)
        {
            Refuse($"Không tìm thấy hồ sơ có mã “{Code}”. Kiểm tra lại mã trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.");
        }
    }

    /// <summary>Shown beside the field (the form's partials read the model state) and in the error summary.</summary>
    private void Refuse(string message)
    {
        Error = message;
        ModelState.AddModelError("ma", message);
    }
}
