using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Accounts.BackOffice;

/// <summary><c>/can-bo</c> (Bàn làm việc của cán bộ): the officer's agencies and roles; the dossier inbox comes with processing.</summary>
[Authorize(Policy = Policies.Officer)]
internal sealed class DeskPageModel(CatalogIndex catalog) : PageModel
{
    /// <summary>An agency the officer belongs to, with the sub-units that membership covers.</summary>
    internal sealed record Membership(string Name, IReadOnlyList<string> SubUnits);

    public IReadOnlyList<Membership> Agencies { get; private set; } = [];

    public IReadOnlyList<string> RoleLabels { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var memberships = AgencyScope.Memberships(User);
        Agencies = [.. memberships.Select(tree.Find).OfType<AgencyNode>().Select(node =>
        {
            var covered = AgencyScope.Covered([node.Id], tree);
            return new Membership(node.Name, [.. node.SelfAndDescendants().Where(n => n.Id != node.Id && covered.Contains(n.Id)).Select(n => n.Name)]);
        })];
        RoleLabels = [.. Roles.All.Where(r => User.IsInRole(r.Name)).Select(r => r.Label)];
    }
}
