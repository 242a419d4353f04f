using System.Security.Claims;
using DichVuCong.Web.Common.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using QRCoder;

namespace DichVuCong.Web.Modules.Accounts.ManageTwoFactor;

/// <summary>
/// <c>/tai-khoan/xac-thuc-hai-buoc</c>: turn two-factor sign-in on with an authenticator app (QR code or key
/// typed by hand, confirmed with a code), get recovery codes once, make new ones, move to a new phone (new
/// key), or turn it off — which officers and administrators cannot. Every change is audited.
/// </summary>
/// <remarks>
/// Not rate-limited like the sign-in pages (officers are sent here from any refused page): guessing is stopped
/// by the lockout, which wrong current codes and wrong passwords count towards.
/// </remarks>
[Authorize]
internal sealed class TwoFactorPageModel(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IUserStore<AppUser> store,
    AuditLog audit,
    IOptions<PortalOptions> portal) : PageModel
{
    /// <summary>TempData key of the one-line notice shown at the top, also set by the sign-in step.</summary>
    public const string NoticeKey = "TwoFactorNotice";

    public const int RecoveryCodeCount = 10;

    public const string RequiredNotice = "Cán bộ và quản trị viên bắt buộc dùng xác thực hai bước. Hãy bật ngay bây giờ: các trang cán bộ và quản trị chỉ mở được sau khi bật.";

    public const string CannotTurnOff = "Cán bộ và quản trị viên không thể tắt xác thực hai bước.";

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? ResetPassword { get; set; }

    [BindProperty]
    public string? OffPassword { get; set; }

    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    [TempData(Key = NoticeKey)]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>An officer or administrator: two-factor is not optional.</summary>
    public bool Required { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>The authenticator key in groups of four, for typing into the app by hand.</summary>
    public string? Key { get; private set; }

    /// <summary>The QR code of the otpauth:// address as inline SVG: no script, no request, within the CSP.</summary>
    public string? QrSvg { get; private set; }

    /// <summary>Recovery codes just made; shown this once and never again.</summary>
    public IReadOnlyList<string>? NewRecoveryCodes { get; private set; }

    public string SafeReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (user.TwoFactorEnabled)
        {
            return RedirectToPage(new { returnUrl = ReturnUrl });
        }

        // A wrong code here does not count towards the lockout: the key is new and protects nothing yet.
        if (!await CheckCodeAsync(user, countFailure: false))
        {
            await LoadAsync(user);
            return Page();
        }

        Check(await users.SetTwoFactorEnabledAsync(user, true));
        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        // Password at sign-in plus the app's code just now: this session counts as signed in with two factors,
        // so an officer goes on to the back office without signing in again.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa")]);
        await audit.RecordAsync(AuditKind.TwoFactorChanged, user.Id, "Bật");
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage(new { returnUrl = ReturnUrl });
        }

        if (!await CheckCodeAsync(user, countFailure: true))
        {
            await LoadAsync(user);
            return Page();
        }

        NewRecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        await audit.RecordAsync(AuditKind.TwoFactorChanged, user.Id, "Tạo lại mã khôi phục");
        await LoadAsync(user);
        return Page();
    }

    /// <summary>A new phone or a lost one: a new key, and two-factor off until the new key is confirmed.</summary>
    public async Task<IActionResult> OnPostResetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage(new { returnUrl = ReturnUrl });
        }

        if (!await CheckPasswordAsync(user, ResetPassword, nameof(ResetPassword)))
        {
            await LoadAsync(user);
            return Page();
        }

        Check(await users.ResetAuthenticatorKeyAsync(user));
        Check(await users.SetTwoFactorEnabledAsync(user, false));
        // Without the "mfa" mark: an officer is back in the back office only after confirming the new key.
        await signIn.SignInAsync(user, isPersistent: false);
        await audit.RecordAsync(AuditKind.TwoFactorChanged, user.Id, "Đặt lại khóa xác thực");
        Notice = "Đã tạo khóa xác thực mới; mã trong ứng dụng cũ không còn dùng được. Quét mã QR bên dưới rồi nhập mã để bật lại xác thực hai bước.";
        return RedirectToPage(new { returnUrl = ReturnUrl });
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (await TwoFactorRules.IsRequiredForAsync(users, user))
        {
            Error = CannotTurnOff;
            await LoadAsync(user);
            return Page();
        }

        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage(new { returnUrl = ReturnUrl });
        }

        if (!await CheckPasswordAsync(user, OffPassword, nameof(OffPassword)))
        {
            await LoadAsync(user);
            return Page();
        }

        Check(await users.SetTwoFactorEnabledAsync(user, false));
        // The app's key and the recovery codes are dropped: turning it on again starts afresh.
        Check(await users.ResetAuthenticatorKeyAsync(user));
        _ = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await signIn.SignInAsync(user, isPersistent: false);
        await audit.RecordAsync(AuditKind.TwoFactorChanged, user.Id, "Tắt");
        Notice = "Đã tắt xác thực hai bước. Từ lần sau, bạn chỉ cần mật khẩu để đăng nhập.";
        return RedirectToPage(new { returnUrl = ReturnUrl });
    }

    private async Task LoadAsync(AppUser user)
    {
        // The key and the recovery codes must not stay in a browser's or a proxy's cache.
        Response.Headers.CacheControl = "no-store";
        Enabled = user.TwoFactorEnabled;
        Required = await TwoFactorRules.IsRequiredForAsync(users, user);
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // A key waiting for confirmation protects nothing yet: stored without renewing the security stamp,
            // so opening this page does not end the person's other sessions.
            key = users.GenerateNewAuthenticatorKey();
            await ((IUserAuthenticatorKeyStore<AppUser>)store).SetAuthenticatorKeyAsync(user, key, HttpContext.RequestAborted);
            Check(await users.UpdateAsync(user));
        }

        Key = string.Join(' ', key.Chunk(4).Select(group => new string(group)));
        QrSvg = QrCode(OtpAuthUri(key, user.UserName ?? string.Empty));
    }

    private async Task<bool> CheckCodeAsync(AppUser user, bool countFailure)
    {
        var code = (Code ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            ModelState.AddModelError(nameof(Code), "Nhập mã gồm 6 chữ số trong ứng dụng xác thực");
            return false;
        }

        if (countFailure && await users.IsLockedOutAsync(user))
        {
            ModelState.AddModelError(nameof(Code), "Tài khoản đang tạm khóa do nhập sai nhiều lần. Vui lòng thử lại sau 15 phút.");
            return false;
        }

        if (await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            return true;
        }

        if (countFailure)
        {
            await users.AccessFailedAsync(user);
        }

        ModelState.AddModelError(nameof(Code), "Mã xác thực không đúng, đã hết hạn hoặc đã được dùng. Hãy chờ ứng dụng xác thực hiện mã mới rồi nhập mã đó.");
        return false;
    }

    private async Task<bool> CheckPasswordAsync(AppUser user, string? password, string field)
    {
        if (string.IsNullOrEmpty(password))
        {
            ModelState.AddModelError(field, "Nhập mật khẩu hiện tại");
            return false;
        }

        if (!(await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true)).Succeeded)
        {
            ModelState.AddModelError(field, "Mật khẩu không đúng, hoặc tài khoản đang tạm khóa do nhập sai nhiều lần.");
            return false;
        }

        return true;
    }

    /// <summary>The address authenticator apps read from the QR code (Google's "Key Uri Format").</summary>
    private string OtpAuthUri(string key, string account)
    {
        var issuer = portal.Value.Title.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
        issuer = issuer.Length == 0 ? "DichVuCong" : issuer;
        return $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30";
    }

    private static string QrCode(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var qr = new SvgQRCode(data);
        var svg = qr.GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
        // Sized and named for people using a screen reader; QRCoder writes only the viewBox.
        return svg.Replace("<svg ", "<svg width=\"220\" height=\"220\" role=\"img\" aria-label=\"Mã QR để thêm tài khoản vào ứng dụng xác thực\" ", StringComparison.Ordinal);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Two-factor change failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}
