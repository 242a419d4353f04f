using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Accounts.SetPassword;

/// <summary>
/// <c>/dat-mat-khau?id=…&amp;token=…</c>: set a password from the link of an e-mail (a new officer's first
/// password). The token is Identity's password-reset token: it dies when used, since setting the password
/// renews the security stamp it is bound to, and after 24 hours.
/// </summary>
internal sealed class SetPasswordPageModel(UserManager<AppUser> users, AuditLog audit) : PageModel
{
    /// <summary>One message for a wrong, used or expired link, or an account that does not exist.</summary>
    public const string BadLink = "Đường dẫn đặt mật khẩu không đúng, đã được dùng hoặc đã hết hạn. Hãy đề nghị quản trị viên gửi lại thư đặt mật khẩu.";

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Nhập mật khẩu mới")]
    public string New { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Nhập lại mật khẩu mới")]
    [Compare(nameof(New), ErrorMessage = "Mật khẩu nhập lại không khớp với mật khẩu mới")]
    public string Confirm { get; set; } = string.Empty;

    [TempData]
    public string? Done { get; set; }

    /// <summary>Set when the link cannot be used: the page says so instead of showing the form.</summary>
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (Done is null && await UsableAccountAsync() is null)
        {
            Error = BadLink;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await UsableAccountAsync();
        if (user is null)
        {
            Error = BadLink;
            return Page();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, Token!, New);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                if (error.Code == nameof(IdentityErrorDescriber.InvalidToken))
                {
                    Error = BadLink;
                }
                else
                {
                    ModelState.AddModelError(nameof(New), error.Description);
                }
            }

            return Page();
        }

        // The mail reached them: the address is theirs.
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        await audit.RecordAsync(AuditKind.PasswordChanged, user.Id, "đặt mật khẩu từ thư");
        Done = "Đã đặt mật khẩu. Mời bạn đăng nhập.";
        return RedirectToPage(new { id = (Guid?)null, token = (string?)null });
    }

    private async Task<AppUser?> UsableAccountAsync()
    {
        if (Id == Guid.Empty || string.IsNullOrEmpty(Token) || await users.FindByIdAsync(Id.ToString()) is not { } user)
        {
            return null;
        }

        var valid = await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<AppUser>.ResetPasswordTokenPurpose, Token);
        return valid && !await users.IsLockedOutAsync(user) ? user : null;
    }
}
