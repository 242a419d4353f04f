using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace DichVuCong.Web.Modules.Accounts.SignIn;

/// <summary>
/// <c>/dang-nhap</c>: sign in with a user name, CCCD, e-mail or mobile number and a password. Whoever has
/// two-factor on continues to a second step with their authenticator code; an officer or administrator
/// who has not enrolled yet is sent to enrol.
/// </summary>
[EnableRateLimiting(Policies.SignInRateLimit)]
internal sealed class SignInPageModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, AuditLog audit) : PageModel
{
    /// <summary>One message for every failure, so the page never tells whether an account exists.</summary>
    public const string Failed = "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khóa do nhập sai nhiều lần. Vui lòng kiểm tra và thử lại.";

    [BindProperty]
    [Required(ErrorMessage = "Nhập tên đăng nhập, số CCCD, email hoặc số điện thoại")]
    [Display(Name = "Tên đăng nhập, số CCCD, email hoặc số điện thoại")]
    public string Login { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "Nhập mật khẩu")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    /// <summary>What the previous step says, e.g. that a new password was set.</summary>
    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByLoginAsync(Login.Trim(), cancellationToken);
        if (user is null)
        {
            users.SpendPasswordCheck(Password);
            await audit.RecordAsync(AuditKind.SignInFailed, null, cancellationToken: cancellationToken);
            Error = Failed;
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Modules/Accounts/SignIn/SecondFactorPage", new { returnUrl = SafeReturnUrl() });
        }

        if (!result.Succeeded)
        {
            await audit.RecordAsync(result.IsLockedOut ? AuditKind.LockedOut : AuditKind.SignInFailed, user.Id, cancellationToken: cancellationToken);
            Error = Failed;
            return Page();
        }

        await audit.RecordAsync(AuditKind.SignIn, user.Id, cancellationToken: cancellationToken);
        if (await TwoFactorRules.IsRequiredForAsync(users, user))
        {
            // An officer or administrator not enrolled yet (e.g. newly created): signed in, but enrols before anything else.
            return LocalRedirect(TwoFactorRules.EnrolmentPath + "?returnUrl=" + Uri.EscapeDataString(SafeReturnUrl()));
        }

        return LocalRedirect(SafeReturnUrl());
    }

    private string SafeReturnUrl() => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
