using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.MyDossiers;

/// <summary><c>/ho-so-cua-toi/{id}</c>: one dossier of the person: status, timeline, files; withdraw before it is received.</summary>
[Authorize]
internal sealed class DossierDetailPageModel(AppDbContext db, CatalogIndex catalog, TimeProvider time, AttachFile.DossierUploads uploads, Processing.DossierClock clock, EFormAnswers eform) : PageModel
{
    /// <summary>Working time left before the appointment, when a clock runs.</summary>
    public string? Remaining { get; private set; }

    /// <summary>The step of the agency's process the dossier is at (SPEC §7: who holds it now).</summary>
    public string? HeldBy { get; private set; }

    /// <summary>While a supplement is asked for: what to add, as the officer listed it.</summary>
    public IReadOnlyList<string> Missing { get; private set; } = [];

    public IReadOnlyList<(int Id, string Name)> Components { get; private set; } = [];

    /// <summary>The result sent by post (newest first), with the carrier's reports.</summary>
    public IReadOnlyList<Processing.Shipment> Shipments { get; private set; } = [];

    [BindProperty] public int ComponentId { get; set; }

    public Dossier Dossier { get; private set; } = null!;
    public string Procedure { get; private set; } = string.Empty;

    /// <summary>The e-form as sent (tờ khai điện tử); empty when the procedure has none.</summary>
    public IReadOnlyList<EFormAnswer> Answers { get; private set; } = [];
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

    /// <summary>Adds files for the supplement asked for; each refused file is named with the reason.</summary>
    public async Task<IActionResult> OnPostSupplementFileAsync(Guid id, List<IFormFile> files, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (files.Count == 0)
        {
            ModelState.AddModelError("files", "Chọn tệp để tải lên.");
        }

        foreach (var file in files)
        {
            await using var content = file.OpenReadStream();
            var result = await uploads.AttachAsync(Dossier, ComponentId, file.FileName, content, cancellationToken);
            if (!result.Succeeded)
            {
                ModelState.AddModelError("files", result.Error!);
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(id, cancellationToken);
            return Page();
        }

        Notice = "Đã tải lên tệp bổ sung. Khi đủ giấy tờ, bấm “Gửi bổ sung”.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveSupplementFileAsync(Guid id, Guid fileId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Notice = await uploads.RemoveAsync(Dossier, fileId, cancellationToken) ? "Đã xóa tệp." : null;
        return RedirectToPage();
    }

    /// <summary>Gửi bổ sung: the dossier goes back to the agency and its clock runs again.</summary>
    public async Task<IActionResult> OnPostResubmitAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!Dossier.HasSupplementFiles)
        {
            ModelState.AddModelError("files", "Tải lên ít nhất một tệp bổ sung trước khi gửi.");
            return Page();
        }

        Notice = await clock.ResubmitAsync(Dossier, cancellationToken)
            ? "Đã gửi bổ sung. Cơ quan tiếp tục giải quyết hồ sơ; ngày hẹn trả được lùi đúng bằng thời gian chờ bổ sung."
            : "Hồ sơ không còn chờ bổ sung; xem trạng thái bên dưới.";
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var dossier = await db.Dossiers.OwnedBy(User).Include(d => d.Events).Include(d => d.Files).Include(d => d.Actions).AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dossier is null)
        {
            return false;
        }

        Dossier = dossier;
        var snapshot = await catalog.GetAsync(cancellationToken);
        var procedure = snapshot.Procedures.FirstOrDefault(p => p.Id == dossier.ProcedureId);
        Procedure = procedure?.Name ?? string.Empty;
        Answers = procedure is null ? [] : eform.Of(procedure.Code, dossier.EFormJson);
        Agency = snapshot.Agencies.Find(dossier.AgencyId)?.Name ?? string.Empty;
        Remaining = await clock.RemainingAsync(dossier, cancellationToken);
        HeldBy = await clock.HeldByAsync(dossier, cancellationToken);
        Shipments = dossier.Delivery == DeliveryMethod.Post
            ? [.. (await db.Set<Processing.Shipment>().AsNoTracking().Include(s => s.Events).Where(s => s.DossierId == id).ToListAsync(cancellationToken)).OrderByDescending(s => s.CreatedAt)]
            : [];
        if (dossier.Status == DossierStatus.SupplementRequested)
        {
            Missing = dossier.Actions.Where(a => a.Action == WorkflowAction.RequestSupplement).OrderBy(a => a.At).LastOrDefault()?.Missing ?? [];
            Components = await db.Procedures.Where(p => p.Id == dossier.ProcedureId).SelectMany(p => p.Components).OrderBy(c => c.SortOrder)
                .Select(c => new ValueTuple<int, string>(c.Id, c.Name)).ToListAsync(cancellationToken);
        }

        return true;
    }
}
