using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace DichVuCong.Web.Modules.Accounts.SignIn;

/// <summary><c>/dang-nhap/xac-thuc</c>: the 6-digit code of the authenticator app, after the password.</summary>
[EnableRateLimiting(Policies.SignInRateLimit)]
internal sealed class SecondFactorPageModel(SignInManager<AppUser> signIn, AuditLog audit) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Nhập mã gồm 6 chữ số trong ứng dụng xác thực")]
    [RegularExpression(@"^\s*\d{3}\s?\d{3}\s*$", ErrorMessage = "Nhập mã gồm 6 chữ số trong ứng dụng xác thực")]
    public string Code { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Modules/Accounts/SignIn/SignInPage") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Modules/Accounts/SignIn/SignInPage");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Code.Replace(" ", string.Empty, StringComparison.Ordinal).Trim(), isPersistent: false, rememberClient: false);
        await audit.RecordAsync(
            result.Succeeded ? AuditKind.SignIn : result.IsLockedOut ? AuditKind.LockedOut : AuditKind.SecondFactorFailed,
            user.Id,
            result.Succeeded ? "xác thực hai lớp" : null);
        if (!result.Succeeded)
        {
            Error = "Mã xác thực không đúng hoặc đã hết hạn, hoặc tài khoản đang tạm khóa. Nhập mã mới nhất trong ứng dụng xác thực.";
            return Page();
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
