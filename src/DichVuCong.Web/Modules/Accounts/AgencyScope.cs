using System.Globalization;
using System.Security.Claims;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;

namespace DichVuCong.Web.Modules.Accounts;

/// <summary>Something that belongs to one agency (a dossier, a workflow): authorise on it directly.</summary>
internal interface IAgencyOwned
{
    int AgencyId { get; }
}

/// <summary>An officer account as the resource of <see cref="AgencyOperations.ManageOfficers"/>: where it works, and whether it is a system administrator.</summary>
internal sealed record OfficerTarget(IReadOnlyCollection<int> AgencyIds, bool IsSystemAdmin);

/// <summary>Something an officer does in an agency; checked against the agencies they belong to.</summary>
internal sealed class AgencyOperation(string name) : IAuthorizationRequirement
{
    public string Name => name;

    public override string ToString() => name;
}

/// <summary>
/// The back-office operations, each scoped to an agency. Combine the page's named policy (who may open
/// it, with two factors) with a resource check (may they act on this agency):
/// <code>
/// if (!(await authorization.AuthorizeAsync(User, dossier.AgencyId, AgencyOperations.Process)).Succeeded) return Forbid();
/// </code>
/// The resource is an agency id (<c>int</c>), an <see cref="IAgencyOwned"/>, or for
/// <see cref="ManageOfficers"/> an <see cref="OfficerTarget"/>. A system administrator passes everywhere.
/// The check is scope only: it does not look at the second factor, which the page's policy requires.
/// </summary>
internal static class AgencyOperations
{
    /// <summary>Receive, process, approve and return the agency's dossiers (reception, specialist, leader, agency admin).</summary>
    public static readonly AgencyOperation Process = new("process");

    /// <summary>Create the agency's officers, give them roles, disable them (agency admin).</summary>
    public static readonly AgencyOperation ManageOfficers = new("manage-officers");
}

/// <summary>
/// Which agencies an officer acts for. Membership of an agency covers its sub-units of the same level
/// (a Sở covers its Chi cục and branch offices), except that a top-level agency (the provincial People's
/// Committee, a ministry) covers only itself: the bodies under it (the Sở, the communes) are separate
/// agencies with their own officers. A unit of another level under an agency (a commune under a former
/// district) is never covered. See docs/decisions/0009-agency-scope.md.
/// </summary>
internal static class AgencyScope
{
    /// <summary>Claim of the sign-in cookie holding one agency the account belongs to (its id).</summary>
    public const string ClaimType = "agency";

    /// <summary>Roles that work inside agencies: the ones the officer policy admits.</summary>
    public static readonly string[] OfficerRoles = [Roles.Reception, Roles.Specialist, Roles.Leader, Roles.AgencyAdmin];

    public static IEnumerable<Claim> Claims(IEnumerable<int> agencyIds) =>
        agencyIds.Select(id => new Claim(ClaimType, id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The agencies the account belongs to, as written in its sign-in.</summary>
    public static IReadOnlyList<int> Memberships(ClaimsPrincipal user) =>
        [.. user.FindAll(ClaimType).Select(c => int.TryParse(c.Value, CultureInfo.InvariantCulture, out var id) ? id : 0).Where(id => id > 0)];

    /// <summary>The memberships and the sub-units they cover.</summary>
    public static IReadOnlySet<int> Covered(IEnumerable<int> memberships, AgencyTree tree)
    {
        var covered = new HashSet<int>();
        foreach (var id in memberships)
        {
            covered.Add(id);
            if (tree.Find(id) is { ParentId: not null } node)
            {
                AddSubUnits(node, covered);
            }
        }

        return covered;
    }

    public static async Task<IReadOnlySet<int>> CoveredAsync(ClaimsPrincipal user, CatalogIndex catalog, CancellationToken cancellationToken) =>
        Covered(Memberships(user), (await catalog.GetAsync(cancellationToken)).Agencies);

    public static bool IsOfficer(ClaimsPrincipal user) => OfficerRoles.Any(user.IsInRole);

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Roles.AgencyAdmin) || user.IsInRole(Roles.SystemAdmin);

    /// <summary>The back-office links of the header for this user: the officer's desk, administration.</summary>
    public static IEnumerable<(string Href, string Label)> Links(ClaimsPrincipal user)
    {
        if (IsOfficer(user))
        {
            yield return ("/can-bo", "Bàn làm việc");
        }

        if (IsAdmin(user))
        {
            yield return ("/quan-tri", "Quản trị");
        }
    }

    private static void AddSubUnits(AgencyNode node, HashSet<int> covered)
    {
        foreach (var child in node.Children.Where(c => c.Level == node.Level))
        {
            covered.Add(child.Id);
            AddSubUnits(child, covered);
        }
    }
}

/// <summary>Decides <see cref="AgencyOperations"/> on an agency, something of an agency, or an officer account.</summary>
internal sealed class AgencyScopeHandler(CatalogIndex catalog) : AuthorizationHandler<AgencyOperation>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AgencyOperation requirement)
    {
        var user = context.User;
        if (user.IsInRole(Roles.SystemAdmin))
        {
            context.Succeed(requirement);
            return;
        }

        var allowed = requirement == AgencyOperations.ManageOfficers ? user.IsInRole(Roles.AgencyAdmin) : AgencyScope.IsOfficer(user);
        IReadOnlyCollection<int>? agencies = context.Resource switch
        {
            int id => [id],
            IAgencyOwned owned => [owned.AgencyId],
            // An agency admin manages an account only when every agency of it is theirs: its roles hold in all of them.
            OfficerTarget { IsSystemAdmin: false, AgencyIds.Count: > 0 } target when requirement == AgencyOperations.ManageOfficers => target.AgencyIds,
            _ => null,
        };
        if (!allowed || agencies is null)
        {
            return;
        }

        var covered = await AgencyScope.CoveredAsync(user, catalog, CancellationToken.None);
        if (agencies.All(covered.Contains))
        {
            context.Succeed(requirement);
        }
    }
}
