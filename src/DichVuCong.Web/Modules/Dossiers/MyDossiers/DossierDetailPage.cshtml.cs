using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.MyDossiers;

/// <summary><c>/ho-so-cua-toi/{id}</c>: one dossier of the person: status, timeline, files; withdraw before it is received.</summary>
[Authorize]
internal sealed class DossierDetailPageModel(AppDbContext db, CatalogIndex catalog, TimeProvider time) : PageModel
{
    public Dossier Dossier { get; private set; } = null!;
    public string Procedure { get; private set; } = string.Empty;
    public string Agency { get; private set; } = string.Empty;
    [BindProperty] public string? Reason { get; set; }
    [TempData] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? (Dossier.IsDraft ? Redirect($"/nop-ho-so/{id}/nguoi-nop") : Page()) : NotFound();

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!Dossier.CanWithdraw)
        {
            Notice = "Hồ sơ đã được tiếp nhận nên không rút trực tuyến được. Liên hệ cơ quan tiếp nhận nếu bạn muốn dừng giải quyết.";
            return RedirectToPage();
        }

        Dossier.Withdraw(time.GetUtcNow().UtcDateTime, Reason);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            Notice = "Đã rút hồ sơ.";
        }
        catch (DbUpdateConcurrencyException)
        {
            Notice = "Trạng thái hồ sơ vừa thay đổi; xem lại bên dưới.";
        }

        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(User).Include(d => d.Events).Include(d => d.Files).AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dossier is null)
        {
            return false;
        }

        Dossier = dossier;
        var snapshot = await catalog.GetAsync(cancellationToken);
        Procedure = snapshot.Procedures.FirstOrDefault(p => p.Id == dossier.ProcedureId)?.Name ?? string.Empty;
        Agency = snapshot.Agencies.Find(dossier.AgencyId)?.Name ?? string.Empty;
        return true;
    }
}
