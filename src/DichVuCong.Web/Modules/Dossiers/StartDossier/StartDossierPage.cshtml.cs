using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers.SubmitDossier;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.StartDossier;

/// <summary>
/// <c>/nop-ho-so</c>: find a procedure offered online (by name, agency, field), choose the receiving agency,
/// and start a draft. A procedure not offered online says how to apply in person.
/// </summary>
[AllowAnonymous]
internal sealed class StartDossierPageModel(CatalogIndex catalog, AppDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "co-quan")] public string? AgencyCode { get; set; }
    [BindProperty(SupportsGet = true, Name = "linh-vuc")] public string? FieldCode { get; set; }
    [BindProperty(SupportsGet = true, Name = "thu-tuc")] public string? ProcedureCode { get; set; }
    [BindProperty] public int? AgencyId { get; set; }

    /// <summary>Made when the form is shown; a second post of the same form (a double click, back and again) opens the same draft.</summary>
    [BindProperty] public string? StartKey { get; set; }

    public CatalogIndex.Snapshot Catalog { get; private set; } = null!;
    public ProcedureEntry? Procedure { get; private set; }
    public IReadOnlyList<AgencyNode> Receivers { get; private set; } = [];
    public IReadOnlyList<ProcedureEntry> Results { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        StartKey = Guid.NewGuid().ToString("N");
        return ProcedureCode is not null && Procedure is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Procedure is null)
        {
            return NotFound();
        }

        if (User.Identity?.IsAuthenticated != true)
        {
            return Challenge();
        }

        var agency = Receivers.Count == 1 ? Receivers[0] : Receivers.FirstOrDefault(a => a.Id == AgencyId);
        if (Procedure.OnlineLevel == OnlineLevel.None || agency is null || DossierAccess.OwnerId(User) is not { } owner)
        {
            Error = "Chọn cơ quan tiếp nhận hồ sơ";
            return Page();
        }

        var id = Guid.TryParse(StartKey, out var key) ? Dossier.IdFor(owner, key) : Guid.NewGuid();
        if (await StartedAsync(id, owner, cancellationToken) is { } started)
        {
            return started;
        }

        db.Dossiers.Add(Dossier.StartDraft(owner, Procedure.Id, agency.Id, time.GetUtcNow().UtcDateTime, id));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            // The same form posted twice at once: the other request made the draft.
            db.ChangeTracker.Clear();
            return await StartedAsync(id, owner, cancellationToken) ?? throw new InvalidOperationException("The draft was neither saved nor found.");
        }

        return Redirect($"/nop-ho-so/{id}/{Wizard.Steps[0].Slug}");
    }

    /// <summary>Where to go when this form already started a dossier: its first step while it is a draft, else its page.</summary>
    private async Task<IActionResult?> StartedAsync(Guid id, Guid owner, CancellationToken cancellationToken)
    {
        var status = await db.Dossiers.Where(d => d.Id == id && d.OwnerId == owner).Select(d => (DossierStatus?)d.Status).FirstOrDefaultAsync(cancellationToken);
        return status switch
        {
            null => null,
            DossierStatus.Draft => Redirect($"/nop-ho-so/{id}/{Wizard.Steps[0].Slug}"),
            _ => Redirect($"/ho-so-cua-toi/{id}"),
        };
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Catalog = await catalog.GetAsync(cancellationToken);
        if (ProcedureCode is not null)
        {
            Procedure = Catalog.Procedures.FirstOrDefault(p => p.Code == ProcedureCode);
            Receivers = Procedure is null ? [] : [.. Procedure.AgencyIds.Select(Catalog.Agencies.Find).OfType<AgencyNode>().OrderBy(a => a.Name, StringComparer.Ordinal)];
            return;
        }

        var words = VietnameseText.Words(VietnameseText.Fold(Query));
        var agency = AgencyCode is null ? null : Catalog.Agencies.Find(AgencyCode);
        var agencyIds = agency?.SelfAndDescendants().Select(a => a.Id).ToHashSet();
        Results = [.. Catalog.Procedures
            .Where(p => p.OnlineLevel != OnlineLevel.None)
            .Where(p => FieldCode is null || p.Field.Code == FieldCode)
            .Where(p => agencyIds is null || p.AgencyIds.Any(agencyIds.Contains))
            .Where(p => words.All(w => p.SearchName.Contains(w, StringComparison.Ordinal) || p.SearchBody.Contains(w, StringComparison.Ordinal)))
            .Take(50)];
    }
}
