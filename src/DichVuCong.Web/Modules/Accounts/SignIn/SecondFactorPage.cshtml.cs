using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace DichVuCong.Web.Modules.Accounts.SignIn;

/// <summary>
/// <c>/dang-nhap/xac-thuc</c>: after the password, the 6-digit code of the authenticator app, or
/// (<c>?cach=ma-khoi-phuc</c>) one of the recovery codes, for someone without their phone.
/// </summary>
[EnableRateLimiting(Policies.SignInRateLimit)]
internal sealed class SecondFactorPageModel(SignInManager<AppUser> signIn, UserManager<AppUser> users, AuditLog audit) : PageModel
{
    public const string RecoveryMethod = "ma-khoi-phuc";

    public const string WrongCode = "Mã xác thực không đúng, đã hết hạn hoặc đã được dùng, hoặc tài khoản đang tạm khóa. Hãy chờ ứng dụng xác thực hiện mã mới rồi nhập mã đó.";

    public const string WrongRecoveryCode = "Mã khôi phục không đúng hoặc đã được dùng, hoặc tài khoản đang tạm khóa. Mỗi mã khôi phục chỉ dùng được một lần.";

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? RecoveryCode { get; set; }

    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    /// <summary><c>ma-khoi-phuc</c> when the person types a recovery code instead of the app's code.</summary>
    [BindProperty(SupportsGet = true, Name = "cach")]
    public string? Method { get; set; }

    public bool UsesRecoveryCode => Method == RecoveryMethod;

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Modules/Accounts/SignIn/SignInPage") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        Method = null;
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Modules/Accounts/SignIn/SignInPage");
        }

        var code = (Code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            ModelState.AddModelError(nameof(Code), "Nhập mã gồm 6 chữ số trong ứng dụng xác thực");
            return Page();
        }

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        await audit.RecordAsync(
            result.Succeeded ? AuditKind.SignIn : result.IsLockedOut ? AuditKind.LockedOut : AuditKind.SecondFactorFailed,
            user.Id,
            result.Succeeded ? "xác thực hai bước" : null);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(Code), WrongCode);
            return Page();
        }

        return LocalRedirect(SafeReturnUrl());
    }

    public async Task<IActionResult> OnPostRecoveryCodeAsync()
    {
        Method = RecoveryMethod;
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Modules/Accounts/SignIn/SignInPage");
        }

        var code = NormalizeRecoveryCode(RecoveryCode);
        if (code.Length == 0)
        {
            ModelState.AddModelError(nameof(RecoveryCode), "Nhập một mã khôi phục, dạng XXXXX-XXXXX");
            return Page();
        }

        // Identity spends the code and signs in with the "mfa" mark, as with the app's code; it neither checks
        // the lockout nor counts a wrong code, so both are done here.
        var result = await users.IsLockedOutAsync(user) ? Microsoft.AspNetCore.Identity.SignInResult.LockedOut : await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (!result.Succeeded && !result.IsLockedOut)
        {
            await users.AccessFailedAsync(user);
        }

        await audit.RecordAsync(
            result.Succeeded ? AuditKind.SignIn : result.IsLockedOut ? AuditKind.LockedOut : AuditKind.SecondFactorFailed,
            user.Id,
            "mã khôi phục");
        if (!result.Succeeded)
        {
            ModelState.AddModelError(nameof(RecoveryCode), WrongRecoveryCode);
            return Page();
        }

        // Someone without their phone: show how many codes are left and how to set up a new phone, then go on.
        TempData[ManageTwoFactor.TwoFactorPageModel.NoticeKey] = "Bạn đã đăng nhập bằng một mã khôi phục; mã đó không dùng lại được. Nếu mất điện thoại, hãy đặt lại khóa xác thực.";
        return LocalRedirect(TwoFactorRules.EnrolmentPath + "?returnUrl=" + Uri.EscapeDataString(SafeReturnUrl()));
    }

    /// <summary>The address of the other way to prove the second factor, keeping where the person was going.</summary>
    public string OtherMethodUrl() =>
        "/dang-nhap/xac-thuc?" + (UsesRecoveryCode ? "" : "cach=" + RecoveryMethod + "&") + (ReturnUrl is null ? "" : "returnUrl=" + Uri.EscapeDataString(ReturnUrl));

    /// <summary>Identity's codes look like "BCDFG-23456"; people may type them in lower case, with spaces or without the dash.</summary>
    internal static string NormalizeRecoveryCode(string? typed)
    {
        var code = new string((typed ?? string.Empty).Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        return code.Length == 10 && !code.Contains('-', StringComparison.Ordinal) ? code[..5] + "-" + code[5..] : code;
    }

    private string SafeReturnUrl() => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
}
