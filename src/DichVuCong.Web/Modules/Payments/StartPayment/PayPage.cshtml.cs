using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Payments.StartPayment;

/// <summary><c>/thanh-toan</c>: the person's dossiers with a fee still owed; "Thanh toán" sends them to the gateway.</summary>
[Authorize]
internal sealed class PayPageModel(AppDbContext db, CatalogIndex catalog, PaymentStarter starter) : PageModel
{
    internal sealed record Row(Guid Id, string? Code, string Procedure, long Amount, string? FeeDetails, bool Waiting);

    public List<Row> Rows { get; private set; } = [];

    /// <summary>Every payment of the person's dossiers, settled or not.</summary>
    public List<PaymentRow> History { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(Guid dossierId, CancellationToken cancellationToken)
    {
        var (started, refusal) = await starter.StartAsync(dossierId, User, HttpContext, cancellationToken);
        if (started is not null)
        {
            return Redirect(started.PaymentUrl);
        }

        if (refusal!.Problem is null)
        {
            return NotFound();
        }

        Problem = refusal.Problem;
        Response.StatusCode = refusal.Status;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var names = (await catalog.GetAsync(cancellationToken)).Procedures.ToDictionary(p => p.Id, p => p.Name);
        var owed = await db.Dossiers.AsNoTracking().OwnedBy(User)
            .Where(d => d.Status != DossierStatus.Draft && !PaymentStarter.Closed.Contains(d.Status) && d.FeeAmount > 0 && d.PaidAt == null)
            .OrderByDescending(d => d.SubmittedAt)
            .Select(d => new { d.Id, d.Code, d.ProcedureId, d.FeeAmount, d.FeeDetails })
            .Take(100)
            .ToListAsync(cancellationToken);
        var ids = owed.Select(d => d.Id).ToList();
        var waiting = await db.Payments.Where(p => ids.Contains(p.DossierId) && p.State == PaymentState.Pending).Select(p => p.DossierId).Distinct().ToListAsync(cancellationToken);
        Rows = owed.ConvertAll(d => new Row(d.Id, d.Code, names.GetValueOrDefault(d.ProcedureId, "—"), d.FeeAmount!.Value, d.FeeDetails, waiting.Contains(d.Id)));
        History = await PaymentHistory.ForDossiersAsync(db, db.Dossiers.OwnedBy(User).Select(d => d.Id), cancellationToken);
    }
}
