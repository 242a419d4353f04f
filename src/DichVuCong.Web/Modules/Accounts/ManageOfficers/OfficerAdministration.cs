using System.Net.Mail;
using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Accounts.ManageOfficers;

internal enum AccountState
{
    Active,
    /// <summary>Waiting for the officer to set a password from the e-mailed link.</summary>
    NoPassword,
    /// <summary>Locked for a while after wrong passwords or codes.</summary>
    TemporarilyLocked,
    /// <summary>Disabled by an administrator until re-enabled.</summary>
    Disabled,
}

/// <summary>
/// What the officer pages under <c>/quan-tri/can-bo</c> share: the roles and agencies an administrator
/// may give, the scope check, the readable description of an account's roles, the set-password e-mail.
/// </summary>
internal sealed class OfficerAdministration(
    AppDbContext db,
    UserManager<AppUser> users,
    CatalogIndex catalog,
    IAuthorizationService authorization,
    LinkGenerator links,
    IHttpContextAccessor http,
    IOptions<PortalOptions> portal,
    TimeProvider time)
{
    /// <summary>A lockout ending later than this from now is a disabled account, not a temporary lock.</summary>
    private static readonly TimeSpan DisabledThreshold = TimeSpan.FromDays(365 * 100);

    public static readonly string[] BackOfficeRoles = [Roles.Reception, Roles.Specialist, Roles.Leader, Roles.AgencyAdmin, Roles.SystemAdmin];

    public static string RoleLabel(string role) => Roles.All.FirstOrDefault(r => r.Name == role).Label ?? role;

    /// <summary>Roles this administrator may give: the officer roles, and system administrator by a system administrator only.</summary>
    public static IReadOnlyList<(string Value, string Label)> RoleOptions(ClaimsPrincipal admin) =>
        [.. BackOfficeRoles.Where(r => r != Roles.SystemAdmin || admin.IsInRole(Roles.SystemAdmin)).Select(r => (r, RoleLabel(r)))];

    /// <summary>Agencies this administrator may choose, in tree order with sub-units indented: all for a system administrator, their own for an agency admin.</summary>
    public async Task<IReadOnlyList<(string Value, string Label)>> AgencyOptionsAsync(ClaimsPrincipal admin, CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var all = admin.IsInRole(Roles.SystemAdmin);
        var covered = AgencyScope.Covered(AgencyScope.Memberships(admin), tree);
        return [.. Flatten(tree.Roots, 0)
            .Where(x => all || covered.Contains(x.Node.Id))
            .Select(x => (x.Node.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new string('\u00A0', (all ? x.Depth : 0) * 3) + x.Node.Name))];
    }

    /// <summary>True when the administrator may manage an account with these agencies and roles (the agency scope, <see cref="AgencyOperations.ManageOfficers"/>).</summary>
    public async Task<bool> MayManageAsync(ClaimsPrincipal admin, IReadOnlyCollection<int> agencyIds, IEnumerable<string> roles) =>
        (await authorization.AuthorizeAsync(admin, new OfficerTarget(agencyIds, roles.Contains(Roles.SystemAdmin)), AgencyOperations.ManageOfficers)).Succeeded;

    public async Task<bool> AgenciesExistAsync(IEnumerable<int> agencyIds, CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        return agencyIds.All(id => tree.Find(id) is not null);
    }

    /// <summary>The account's agencies and roles as stored.</summary>
    public async Task<(List<int> AgencyIds, List<string> Roles)> MembershipAsync(AppUser user, CancellationToken cancellationToken)
    {
        var agencies = await db.UserAgencies.Where(a => a.UserId == user.Id).Select(a => a.AgencyId).ToListAsync(cancellationToken);
        return (agencies, [.. await users.GetRolesAsync(user)]);
    }

    /// <summary>For people and the audit log: "Vai trò: Cán bộ tiếp nhận, Lãnh đạo; Cơ quan: Ủy ban nhân dân phường Nam Hà".</summary>
    public async Task<string> DescribeAsync(IEnumerable<string> roles, IEnumerable<int> agencyIds, CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var roleText = string.Join(", ", BackOfficeRoles.Where(roles.Contains).Select(RoleLabel));
        var agencyText = string.Join(", ", agencyIds.Select(id => tree.Find(id)?.Name ?? "#" + id));
        return $"Vai trò: {(roleText.Length == 0 ? "không có" : roleText)}; Cơ quan: {(agencyText.Length == 0 ? "không có" : agencyText)}";
    }

    public async Task<IReadOnlyDictionary<int, string>> AgencyNamesAsync(CancellationToken cancellationToken) =>
        (await catalog.GetAsync(cancellationToken)).Agencies.All.ToDictionary(a => a.Id, a => a.Name);

    public AccountState State(AppUser user)
    {
        var now = time.GetUtcNow();
        if (user.LockoutEnd is { } end && end > now)
        {
            return end - now > DisabledThreshold ? AccountState.Disabled : AccountState.TemporarilyLocked;
        }

        return user.PasswordHash is null ? AccountState.NoPassword : AccountState.Active;
    }

    public static string StateText(AccountState state) => state switch
    {
        AccountState.Disabled => "Đã khóa",
        AccountState.TemporarilyLocked => "Tạm khóa do đăng nhập sai nhiều lần",
        AccountState.NoPassword => "Chưa đặt mật khẩu",
        _ => "Đang hoạt động",
    };

    /// <summary>
    /// Queues (without saving) the e-mail with a one-time link to <c>/dat-mat-khau</c>; the caller saves it
    /// in the transaction that creates the account, so the mail goes out if and only if the account exists.
    /// </summary>
    public async Task QueueSetPasswordMailAsync(AppUser user, string description)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = links.GetUriByPage(http.HttpContext!, "/Modules/Accounts/SetPassword/SetPasswordPage", handler: null, values: new { id = user.Id, token })
            ?? throw new InvalidOperationException("No address for the set-password page.");
        var title = portal.Value.Title;
        var body = $"""
            Xin chào {user.FullName},

            Quản trị viên đã tạo tài khoản cán bộ cho bạn trên {title}.
            Tên đăng nhập: {user.Email}
            {description}

            Để bắt đầu, hãy đặt mật khẩu tại địa chỉ sau. Địa chỉ dùng được một lần, trong 24 giờ:
            {link}

            Sau khi đặt mật khẩu, lần đăng nhập đầu tiên bạn sẽ được hướng dẫn cài ứng dụng xác thực (xác thực hai lớp), bắt buộc với cán bộ.

            Nếu bạn không chờ thư này, hãy bỏ qua nó và báo cho quản trị viên của cơ quan.
            """;
        db.OutboxMessages.Add(OutboxMessage.Email(user.Email!, $"Tài khoản cán bộ trên {title}", body, "dat-mat-khau-can-bo", time.GetUtcNow().UtcDateTime));
    }

    /// <summary>An e-mail address as people type it, checked; null when it is not one.</summary>
    public static string? NormalizeEmail(string? text)
    {
        var trimmed = text?.Trim().ToLowerInvariant();
        return !string.IsNullOrEmpty(trimmed) && MailAddress.TryCreate(trimmed, out var address) && address.Address == trimmed && trimmed.Split('@')[1].Contains('.', StringComparison.Ordinal)
            ? trimmed
            : null;
    }

    /// <summary>A Vietnamese mobile number as stored (0 and nine digits) from "0912 345 678" or "+84 912 345 678"; null when it is not one.</summary>
    public static string? NormalizePhone(string? text)
    {
        var digits = new string((text ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("84", StringComparison.Ordinal) && digits.Length == 11)
        {
            digits = "0" + digits[2..];
        }

        return digits.Length == 10 && digits[0] == '0' && (text ?? string.Empty).All(c => char.IsAsciiDigit(c) || c is ' ' or '.' or '-' or '+') ? digits : null;
    }

    private static IEnumerable<(AgencyNode Node, int Depth)> Flatten(IEnumerable<AgencyNode> nodes, int depth) =>
        nodes.SelectMany(n => Flatten(n.Children, depth + 1).Prepend((n, depth)));
}
