using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Accounts.ManageOfficers;

/// <summary>
/// <c>/quan-tri/can-bo</c>: officer and administrator accounts, searched by name, e-mail or user name and
/// filtered by agency. An agency admin sees only the accounts they may manage (every agency theirs).
/// A province has a few thousand officers at most: they are filtered in memory, with Vietnamese folding.
/// </summary>
[Authorize(Policy = Policies.AgencyAdmin)]
internal sealed class ListOfficersPageModel(AppDbContext db, OfficerAdministration admin) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "coQuan")]
    public int? AgencyId { get; set; }

    [BindProperty(SupportsGet = true, Name = "trang")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public IReadOnlyList<(string Value, string Label)> AgencyOptions { get; private set; } = [];

    internal sealed record Row(Guid Id, string FullName, string? UserName, string? Email, string Agencies, string Roles, AccountState State);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        AgencyOptions = [(string.Empty, "Tất cả cơ quan"), .. await admin.AgencyOptionsAsync(User, cancellationToken)];
        var accounts = await db.Users.AsNoTracking()
            .Where(u => u.Kind == AccountKind.Officer || u.Kind == AccountKind.Administrator)
            .ToListAsync(cancellationToken);
        var memberships = (await db.UserAgencies.AsNoTracking().ToListAsync(cancellationToken))
            .ToLookup(a => a.UserId, a => a.AgencyId);
        var roles = (await db.UserRoles.AsNoTracking().Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(cancellationToken))
            .ToLookup(r => r.UserId, r => r.Name!);
        var names = await admin.AgencyNamesAsync(cancellationToken);
        var query = VietnameseText.Fold(Q);

        var rows = new List<Row>();
        foreach (var user in accounts)
        {
            var agencies = memberships[user.Id].ToList();
            var userRoles = roles[user.Id].ToList();
            if ((AgencyId is { } filter && !agencies.Contains(filter))
                || (query.Length > 0 && !Matches(user, query))
                || !await admin.MayManageAsync(User, agencies, userRoles))
            {
                continue;
            }

            rows.Add(new Row(
                user.Id,
                user.FullName,
                user.UserName,
                user.Email,
                string.Join(", ", agencies.Select(a => names.GetValueOrDefault(a, "#" + a))),
                string.Join(", ", OfficerAdministration.BackOfficeRoles.Where(userRoles.Contains).Select(OfficerAdministration.RoleLabel)),
                admin.State(user)));
        }

        Total = rows.Count;
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Rows = [.. rows
            .OrderBy(r => r.FullName, StringComparer.Create(Common.Web.Formats.Vietnamese, ignoreCase: true))
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize)];
    }

    public string PageLink(int page) =>
        QueryString.Create(new KeyValuePair<string, string?>[]
        {
            new("q", Q),
            new("coQuan", AgencyId?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("trang", page.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        }).Value!;

    private static bool Matches(AppUser user, string query) =>
        VietnameseText.Fold(user.FullName).Contains(query, StringComparison.Ordinal)
        || (user.Email ?? string.Empty).Contains(query, StringComparison.OrdinalIgnoreCase)
        || (user.UserName ?? string.Empty).Contains(query, StringComparison.OrdinalIgnoreCase);
}
