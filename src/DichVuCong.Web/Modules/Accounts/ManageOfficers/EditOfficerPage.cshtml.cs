using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Accounts.ManageOfficers;

/// <summary>
/// <c>/quan-tri/can-bo/{id}</c>: an officer's roles and agencies, disabling and re-enabling the account.
/// Every handler checks the agency scope of the officer as stored, and of what is posted; every change
/// renews the officer's security stamp, so their sessions end within a minute.
/// </summary>
[Authorize(Policy = Policies.AgencyAdmin)]
internal sealed class EditOfficerPageModel(
    AppDbContext db,
    UserManager<AppUser> users,
    OfficerAdministration admin,
    AuditLog audit) : PageModel
{
    public const string DoneKey = "OfficerDone";

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty]
    public List<int> AgencyIds { get; set; } = [];

    [BindProperty]
    public List<string> RoleNames { get; set; } = [];

    [TempData(Key = DoneKey)]
    public string? Done { get; set; }

    public string? Error { get; private set; }

    public AppUser Officer { get; private set; } = null!;

    public AccountState State { get; private set; }

    public bool IsSelf { get; private set; }

    public string Description { get; private set; } = string.Empty;

    public IReadOnlyList<(string Value, string Label)> AgencyOptions { get; private set; } = [];

    public IReadOnlyList<(string Value, string Label)> RoleOptions { get; private set; } = [];

    private List<int> storedAgencies = [];
    private List<string> storedRoles = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        return ShowStored();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        if (RoleNames.Any(r => !OfficerAdministration.BackOfficeRoles.Contains(r))
            || ((AgencyIds.Count > 0 || RoleNames.Contains(Roles.SystemAdmin)) && !await admin.MayManageAsync(User, AgencyIds, RoleNames)))
        {
            return Forbid();
        }

        if (!await admin.AgenciesExistAsync(AgencyIds, cancellationToken))
        {
            return BadRequest();
        }

        if (IsSelf)
        {
            Error = "Bạn không thể tự đổi vai trò hay cơ quan của chính mình. Hãy nhờ một quản trị viên khác.";
            return Page();
        }

        if (RoleNames.Count == 0)
        {
            ModelState.AddModelError(nameof(RoleNames), "Chọn ít nhất một vai trò");
        }

        // Only a system administrator works outside agencies.
        if (AgencyIds.Count == 0 && !(RoleNames.Count > 0 && RoleNames.All(r => r == Roles.SystemAdmin)))
        {
            ModelState.AddModelError(nameof(AgencyIds), "Chọn ít nhất một cơ quan, đơn vị cán bộ làm việc");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var roles = RoleNames.Distinct().ToList();
        var agencies = AgencyIds.Distinct().ToList();
        if (roles.Order().SequenceEqual(storedRoles.Order()) && agencies.Order().SequenceEqual(storedAgencies.Order()))
        {
            Done = "Không có gì thay đổi.";
            return RedirectToPage();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.RemoveFromRolesAsync(Officer, storedRoles.Except(roles)));
        Check(await users.AddToRolesAsync(Officer, roles.Except(storedRoles)));
        db.UserAgencies.RemoveRange(await db.UserAgencies.Where(a => a.UserId == Officer.Id && !agencies.Contains(a.AgencyId)).ToListAsync(cancellationToken));
        db.UserAgencies.AddRange(agencies.Except(storedAgencies).Select(a => new UserAgency { UserId = Officer.Id, AgencyId = a }));
        Officer.Kind = roles.Any(r => r != Roles.SystemAdmin) ? AccountKind.Officer : AccountKind.Administrator;
        await db.SaveChangesAsync(cancellationToken);
        // The officer's sign-in carries roles and agencies: it ends, and the next one has the new ones.
        Check(await users.UpdateSecurityStampAsync(Officer));
        await audit.RecordAsync(AuditKind.RolesChanged, Officer.Id, await admin.DescribeAsync(roles, agencies, cancellationToken), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        Done = $"Đã lưu vai trò và cơ quan của {Officer.FullName}. Cán bộ sẽ phải đăng nhập lại để dùng quyền mới.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        if (IsSelf)
        {
            Error = "Bạn không thể tự khóa tài khoản của chính mình.";
            return ShowStored();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.SetLockoutEnabledAsync(Officer, true));
        Check(await users.SetLockoutEndDateAsync(Officer, DateTimeOffset.MaxValue));
        // Ends every session of the account at its next check (at most a minute).
        Check(await users.UpdateSecurityStampAsync(Officer));
        await audit.RecordAsync(AuditKind.AccountDisabled, Officer.Id, "Khóa tài khoản", cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        Done = $"Đã khóa tài khoản của {Officer.FullName}. Cán bộ không đăng nhập được nữa; phiên đang mở kết thúc trong vòng một phút.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.SetLockoutEndDateAsync(Officer, null));
        Check(await users.ResetAccessFailedCountAsync(Officer));
        await audit.RecordAsync(AuditKind.AccountEnabled, Officer.Id, State == AccountState.Disabled ? "Mở khóa tài khoản" : "Mở tạm khóa do đăng nhập sai", cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        Done = $"Đã mở khóa tài khoản của {Officer.FullName}. Cán bộ đăng nhập lại được.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is { } refused)
        {
            return refused;
        }

        if (State != AccountState.NoPassword)
        {
            Error = "Tài khoản đã có mật khẩu hoặc đang bị khóa: không gửi thư đặt mật khẩu.";
            return ShowStored();
        }

        await admin.QueueSetPasswordMailAsync(Officer, await admin.DescribeAsync(storedRoles, storedAgencies, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        Done = $"Đã gửi lại thư đặt mật khẩu tới {Officer.Email}.";
        return RedirectToPage();
    }

    /// <summary>Loads the officer and refuses (404, or 403 outside the administrator's agencies); null when the page may go on.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var officer = await users.Users.FirstOrDefaultAsync(u => u.Id == Id && (u.Kind == AccountKind.Officer || u.Kind == AccountKind.Administrator), cancellationToken);
        if (officer is null)
        {
            return NotFound();
        }

        (storedAgencies, storedRoles) = await admin.MembershipAsync(officer, cancellationToken);
        if (!await admin.MayManageAsync(User, storedAgencies, storedRoles))
        {
            return Forbid();
        }

        Officer = officer;
        State = admin.State(officer);
        IsSelf = users.GetUserId(User) == officer.Id.ToString();
        Description = await admin.DescribeAsync(storedRoles, storedAgencies, cancellationToken);
        AgencyOptions = await admin.AgencyOptionsAsync(User, cancellationToken);
        RoleOptions = OfficerAdministration.RoleOptions(User);
        return null;
    }

    private PageResult ShowStored()
    {
        AgencyIds = storedAgencies;
        RoleNames = storedRoles;
        return Page();
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not change the account: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}
