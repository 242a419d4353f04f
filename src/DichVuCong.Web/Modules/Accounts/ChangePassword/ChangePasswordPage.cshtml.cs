using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Accounts.ChangePassword;

/// <summary>
/// <c>/tai-khoan/mat-khau</c>: change the password (every other session ends within a minute), or sign
/// out everywhere, e.g. after using a shared computer.
/// </summary>
[Authorize]
internal sealed class ChangePasswordPageModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AuditLog audit) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Nhập mật khẩu hiện tại")]
    public string Current { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Nhập mật khẩu mới")]
    public string New { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Nhập lại mật khẩu mới")]
    [Compare(nameof(New), ErrorMessage = "Mật khẩu nhập lại không khớp với mật khẩu mới")]
    public string Confirm { get; set; } = string.Empty;

    [TempData]
    public string? Done { get; set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await users.ChangePasswordAsync(user, Current, New);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? nameof(Current) : nameof(New), error.Description);
            }

            return Page();
        }

        // The new security stamp ends every other session at its next check; this one is renewed.
        await signIn.RefreshSignInAsync(user);
        await audit.RecordAsync(AuditKind.PasswordChanged, user.Id);
        Done = "Đã đổi mật khẩu. Các thiết bị khác sẽ phải đăng nhập lại.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is not null)
        {
            await users.UpdateSecurityStampAsync(user);
            await audit.RecordAsync(AuditKind.SignOut, user.Id, "đăng xuất mọi thiết bị");
        }

        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }
}
