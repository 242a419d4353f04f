using System.ComponentModel.DataAnnotations;
using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Accounts.ManageOfficers;

/// <summary>
/// <c>/quan-tri/can-bo/them</c>: create an officer account in the administrator's agencies. The officer
/// gets no password: an e-mail with a one-time link to set one is queued with the account.
/// </summary>
[Authorize(Policy = Policies.AgencyAdmin)]
internal sealed class CreateOfficerPageModel(
    AppDbContext db,
    UserManager<AppUser> users,
    OfficerAdministration admin,
    AuditLog audit,
    TimeProvider time) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Nhập họ và tên cán bộ")]
    [StringLength(200, ErrorMessage = "Họ và tên dài tối đa 200 ký tự")]
    public string FullName { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Nhập email công vụ của cán bộ, ví dụ ten@namha.gov.vn")]
    public string Email { get; set; } = string.Empty;

    [BindProperty]
    public string? Phone { get; set; }

    [BindProperty]
    public List<int> AgencyIds { get; set; } = [];

    [BindProperty]
    public List<string> RoleNames { get; set; } = [];

    public IReadOnlyList<(string Value, string Label)> AgencyOptions { get; private set; } = [];

    public IReadOnlyList<(string Value, string Label)> RoleOptions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadChoicesAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // A forged form (another agency, a role this administrator may not give) is refused outright.
        if (RoleNames.Any(r => !OfficerAdministration.BackOfficeRoles.Contains(r))
            || ((AgencyIds.Count > 0 || RoleNames.Contains(Roles.SystemAdmin)) && !await admin.MayManageAsync(User, AgencyIds, RoleNames)))
        {
            return Forbid();
        }

        if (!await admin.AgenciesExistAsync(AgencyIds, cancellationToken))
        {
            return BadRequest();
        }

        var email = OfficerAdministration.NormalizeEmail(Email);
        var phone = OfficerAdministration.NormalizePhone(Phone);
        if (!string.IsNullOrWhiteSpace(Email) && email is null)
        {
            ModelState.AddModelError(nameof(Email), "Nhập email đúng dạng, ví dụ ten@namha.gov.vn");
        }
        else if (email is not null && users.NormalizeEmail(email) is var normalized && await db.Users.AnyAsync(u => u.NormalizedEmail == normalized || u.NormalizedUserName == normalized, cancellationToken))
        {
            ModelState.AddModelError(nameof(Email), "Email này đã dùng cho một tài khoản khác. Hãy dùng email khác, hoặc tìm tài khoản đó trong danh sách cán bộ.");
        }

        if (!string.IsNullOrWhiteSpace(Phone) && phone is null)
        {
            ModelState.AddModelError(nameof(Phone), "Nhập số điện thoại di động gồm 10 chữ số, ví dụ 0912 345 678");
        }
        else if (phone is not null && await db.Users.AnyAsync(u => u.PhoneNumber == phone, cancellationToken))
        {
            ModelState.AddModelError(nameof(Phone), "Số điện thoại này đã dùng cho một tài khoản khác. Hãy dùng số khác hoặc để trống.");
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
            await LoadChoicesAsync(cancellationToken);
            return Page();
        }

        var user = new AppUser
        {
            UserName = email,
            Email = email,
            FullName = FullName.Trim(),
            PhoneNumber = phone,
            Kind = RoleNames.Any(r => r != Roles.SystemAdmin) ? AccountKind.Officer : AccountKind.Administrator,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            LockoutEnabled = true,
        };
        foreach (var agencyId in AgencyIds.Distinct())
        {
            user.Agencies.Add(new UserAgency { AgencyId = agencyId });
        }

        // The account, its roles, its e-mail and the audit record commit together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError(nameof(Email), error.Description);
            }

            await LoadChoicesAsync(cancellationToken);
            return Page();
        }

        var roles = await users.AddToRolesAsync(user, RoleNames.Distinct());
        if (!roles.Succeeded)
        {
            throw new InvalidOperationException("Could not give roles: " + string.Join("; ", roles.Errors.Select(e => e.Code)));
        }

        var description = await admin.DescribeAsync(RoleNames, AgencyIds.Distinct(), cancellationToken);
        await admin.QueueSetPasswordMailAsync(user, description);
        await audit.RecordAsync(AuditKind.RolesChanged, user.Id, "Tạo tài khoản. " + description, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        TempData[EditOfficerPageModel.DoneKey] = $"Đã tạo tài khoản {user.FullName}. Thư hướng dẫn đặt mật khẩu đã được gửi tới {user.Email}.";
        return RedirectToPage("/Modules/Accounts/ManageOfficers/EditOfficerPage", new { id = user.Id });
    }

    private async Task LoadChoicesAsync(CancellationToken cancellationToken)
    {
        AgencyOptions = await admin.AgencyOptionsAsync(User, cancellationToken);
        RoleOptions = OfficerAdministration.RoleOptions(User);
    }
}
