using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.MyDossiers;

/// <summary><c>/ho-so-cua-toi</c>: the person's dossiers by status, with counts; drafts can be resumed or deleted.</summary>
[Authorize]
internal sealed class MyDossiersPageModel(AppDbContext db, CatalogIndex catalog, PersonalStore.PersonalDocuments store, Processing.DossierClock clock) : PageModel
{
    /// <summary>Drafts are kept this long after their last change.</summary>
    public static readonly TimeSpan DraftLifetime = TimeSpan.FromDays(30);

    [BindProperty(SupportsGet = true, Name = "trang-thai")] public string? StatusFilter { get; set; }

    public Dictionary<DossierStatus, int> Counts { get; private set; } = [];
    public List<Row> Rows { get; private set; } = [];

    /// <summary>The personal data store: documents kept from filed dossiers and received results.</summary>
    public List<PersonalDocument> Stored { get; private set; } = [];
    [TempData] public string? Notice { get; set; }

    /// <summary>A validity date that could not be read: the document, what was typed, and why.</summary>
    public (Guid Id, string? Typed, string Message)? ValidityError { get; private set; }

    internal sealed record Row(Guid Id, string? Code, string Procedure, DossierStatus Status, DateTime CreatedAt, DateTime UpdatedAt, DateTime? SubmittedAt, DateTime? WarnedAt, DateTime? DueAt, string? Remaining)
    {
        /// <summary>When a draft is removed: 30 days after its last change, and never before 3 days after its warning.</summary>
        public DateTime ExpiresAt => WarnedAt is { } warned && warned > UpdatedAt && warned.AddDays(3) > UpdatedAt + DraftLifetime ? warned.AddDays(3) : UpdatedAt + DraftLifetime;
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Counts = await db.Dossiers.OwnedBy(User).GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var status = DossierStatuses.Parse(StatusFilter);
        var names = (await catalog.GetAsync(cancellationToken)).Procedures.ToDictionary(p => p.Id, p => p.Name);
        var rows = await db.Dossiers.OwnedBy(User)
            .Where(d => status == null || d.Status == status)
            .OrderByDescending(d => d.UpdatedAt)
            .Take(200)
            .Select(d => new { d.Id, d.Code, d.ProcedureId, d.Status, d.CreatedAt, d.UpdatedAt, d.SubmittedAt, d.DraftWarnedAt, d.AgencyId, d.DueAt, d.ClockPausedAt })
            .ToListAsync(cancellationToken);
        Stored = DossierAccess.OwnerId(User) is { } owner ? await store.ListAsync(owner, cancellationToken) : [];
        Rows = [];
        foreach (var r in rows)
        {
            var remaining = await clock.RemainingAsync(r.AgencyId, r.Status, r.DueAt, r.ClockPausedAt, cancellationToken);
            Rows.Add(new Row(r.Id, r.Code, names.GetValueOrDefault(r.ProcedureId, "—"), r.Status, r.CreatedAt, r.UpdatedAt, r.SubmittedAt, r.DraftWarnedAt, r.DueAt, remaining));
        }
    }

    public async Task<IActionResult> OnPostForgetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (DossierAccess.OwnerId(User) is not { } owner || !await store.DeleteAsync(owner, id, cancellationToken))
        {
            return NotFound();
        }

        Notice = "Đã xóa giấy tờ khỏi kho dữ liệu.";
        return RedirectToPage();
    }

    /// <summary>Sets until when a kept document is valid: a later dossier offers it only until then. Empty = no end.</summary>
    public async Task<IActionResult> OnPostValidityAsync(Guid id, string? validUntil, CancellationToken cancellationToken)
    {
        if (DossierAccess.OwnerId(User) is not { } owner)
        {
            return NotFound();
        }

        DateOnly? date = null;
        if (!string.IsNullOrWhiteSpace(validUntil))
        {
            date = Common.Web.Formats.ParseDate(validUntil);
            if (date is null)
            {
                await OnGetAsync(cancellationToken);
                ValidityError = (id, validUntil, "Nhập ngày hết hiệu lực dạng ngày/tháng/năm, ví dụ 31/12/2030, hoặc để trống nếu giấy tờ không có thời hạn");
                return Page();
            }
        }

        if (!await store.SetValidityAsync(owner, id, date, cancellationToken))
        {
            return NotFound();
        }

        Notice = date is { } d ? $"Đã lưu: giấy tờ có hiệu lực đến {Common.Web.Formats.Date(d)}." : "Đã lưu: giấy tờ không có thời hạn.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var draft = await db.Dossiers.OwnedBy(User).FirstOrDefaultAsync(d => d.Id == id && d.Status == DossierStatus.Draft, cancellationToken);
        if (draft is null)
        {
            return NotFound();
        }

        db.Dossiers.Remove(draft);
        await db.SaveChangesAsync(cancellationToken);
        Notice = "Đã xóa hồ sơ nháp.";
        return RedirectToPage();
    }
}
