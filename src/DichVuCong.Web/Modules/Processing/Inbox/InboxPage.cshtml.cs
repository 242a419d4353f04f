using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Payments;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.Inbox;

/// <summary>
/// <c>/can-bo</c> (Bàn làm việc của cán bộ): the dossiers of the officer's agencies to handle, by view with counts,
/// filtered and searched, sorted by due date; and the agencies and roles the officer works with.
/// </summary>
[Authorize(Policy = Policies.Officer)]
internal sealed class InboxPageModel(InboxQuery inbox, CatalogIndex catalog, AppDbContext db) : PageModel
{
    /// <summary>An agency the officer belongs to, with the sub-units that membership covers.</summary>
    internal sealed record Membership(string Name, IReadOnlyList<string> SubUnits);

    public IReadOnlyList<Membership> Agencies { get; private set; } = [];

    public IReadOnlyList<string> RoleLabels { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "xem")] public string? View { get; set; }

    [BindProperty(SupportsGet = true, Name = "co-quan")] public int? AgencyId { get; set; }

    [BindProperty(SupportsGet = true, Name = "thu-tuc")] public int? ProcedureId { get; set; }

    [BindProperty(SupportsGet = true, Name = "trang-thai")] public string? StatusFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")] public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "trang")] public int PageNumber { get; set; } = 1;

    public InboxResult Result { get; private set; } = null!;

    public IReadOnlyList<(int Id, string Name)> AgencyOptions { get; private set; } = [];

    public IReadOnlyList<(int Id, string Name)> ProcedureOptions { get; private set; } = [];

    public string CurrentView => View ?? InboxQuery.DefaultView(User);

    /// <summary>Payments of the officer's agencies waiting for a refund (/can-bo/hoan-tien); null for roles that do not refund.</summary>
    public int? RefundsDue { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        var tree = snapshot.Agencies;
        var memberships = AgencyScope.Memberships(User);
        Agencies = [.. memberships.Select(tree.Find).OfType<AgencyNode>().Select(node =>
        {
            var covered = AgencyScope.Covered([node.Id], tree);
            return new Membership(node.Name, [.. node.SelfAndDescendants().Where(n => n.Id != node.Id && covered.Contains(n.Id)).Select(n => n.Name)]);
        })];
        RoleLabels = [.. Roles.All.Where(r => User.IsInRole(r.Name)).Select(r => r.Label)];

        var agencies = await inbox.AgenciesAsync(User, cancellationToken);
        AgencyOptions = [.. agencies.Select(tree.Find).OfType<AgencyNode>().Where(a => a.ReceivesDossiers).Select(a => (a.Id, a.Name)).OrderBy(a => a.Name, StringComparer.Ordinal)];
        ProcedureOptions = [.. snapshot.Procedures.Where(p => p.AgencyIds.Any(agencies.Contains)).Select(p => (p.Id, p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal)];
        if (User.IsInRole(Roles.Reception) || User.IsInRole(Roles.Leader))
        {
            var mine = agencies.ToList();
            RefundsDue = await db.Payments.CountAsync(p => p.State == PaymentState.RefundDue && db.Dossiers.Any(d => d.Id == p.DossierId && mine.Contains(d.AgencyId)), cancellationToken);
        }

        Result = await inbox.RunAsync(User, new InboxFilter(CurrentView, AgencyId, ProcedureId, DossierStatuses.Parse(StatusFilter), Q, PageNumber), cancellationToken);
    }

    /// <summary>This page's address with one parameter changed, keeping the others.</summary>
    public string Link(string? view = null, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["xem"] = view ?? CurrentView,
            ["co-quan"] = AgencyId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["thu-tuc"] = ProcedureId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["trang-thai"] = StatusFilter,
            ["q"] = Q,
            ["trang"] = page is > 1 ? page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/can-bo", query.Where(kv => !string.IsNullOrEmpty(kv.Value)));
    }
}
