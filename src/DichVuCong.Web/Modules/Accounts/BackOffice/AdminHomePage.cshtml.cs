using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Accounts.BackOffice;

/// <summary><c>/quan-tri</c>: what an agency or system administrator can manage, as links.</summary>
[Authorize(Policy = Policies.AgencyAdmin)]
internal sealed class AdminHomePageModel(CatalogIndex catalog) : PageModel
{
    public bool IsSystemAdmin { get; private set; }

    public IReadOnlyList<string> AgencyNames { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        IsSystemAdmin = User.IsInRole(Roles.SystemAdmin);
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        AgencyNames = [.. AgencyScope.Memberships(User).Select(id => tree.Find(id)?.Name).OfType<string>()];
    }
}
