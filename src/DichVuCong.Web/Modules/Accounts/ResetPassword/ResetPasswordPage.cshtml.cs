using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts.Verification;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace DichVuCong.Web.Modules.Accounts.ResetPassword;

/// <summary>
/// <c>/quen-mat-khau/dat-lai</c>: the code from <c>/quen-mat-khau</c> and a new password. Success ends every
/// session of the account and lifts a lockout; a wrong code counts like any one-time code.
/// </summary>
[EnableRateLimiting(Policies.OtpRateLimit)]
internal sealed class ResetPasswordPageModel(UserManager<AppUser> users, AppDbContext db, OneTimeCodes codes, AuditLog audit) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? New { get; set; }
    [BindProperty] public string? Confirm { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public IActionResult OnGet() => Load() is null ? Redirect("/quen-mat-khau") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Load() is not { } pending)
        {
            return Redirect("/quen-mat-khau");
        }

        var user = await users.FindByIdAsync(pending.UserId.ToString());
        if (string.IsNullOrWhiteSpace(Code) || Code.Count(char.IsAsciiDigit) != 6)
        {
            ModelState.AddModelError(nameof(Code), "Nhập mã gồm 6 chữ số đã được gửi đến bạn");
        }

        if (string.IsNullOrEmpty(New))
        {
            ModelState.AddModelError(nameof(New), "Nhập mật khẩu mới");
        }
        else
        {
            foreach (var problem in (await users.CheckPasswordPolicyAsync(user, New)).Take(1))
            {
                ModelState.AddModelError(nameof(New), problem);
            }
        }

        if (New is { Length: > 0 } && Confirm != New)
        {
            ModelState.AddModelError(nameof(Confirm), "Mật khẩu nhập lại không khớp với mật khẩu mới");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var check = user is null ? new CodeCheck.NeedsNewCode() : await codes.CheckAsync(user.Id, CodePurpose.ResetPassword, Code!, cancellationToken);
        if (check is not CodeCheck.Accepted)
        {
            ModelState.AddModelError(nameof(Code), OneTimeCodes.Explain(check));
            return Page();
        }

        var reset = await users.ResetPasswordAsync(user!, await users.GeneratePasswordResetTokenAsync(user!), New!);
        if (!reset.Succeeded)
        {
            ModelState.AddModelError(nameof(New), reset.Errors.First().Description);
            return Page();
        }

        await users.SetLockoutEndDateAsync(user!, null);
        await users.ResetAccessFailedCountAsync(user!);
        await audit.RecordAsync(AuditKind.PasswordReset, user!.Id, "đã đặt mật khẩu mới", cancellationToken);
        PendingVerification.Clear(HttpContext, PendingVerification.PasswordReset);
        Notice = "Đã đặt mật khẩu mới. Mọi phiên đăng nhập cũ đã kết thúc; hãy đăng nhập bằng mật khẩu mới.";
        return Redirect("/dang-nhap");
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        if (Load() is not { } pending)
        {
            return Redirect("/quen-mat-khau");
        }

        var user = await users.FindByIdAsync(pending.UserId.ToString());
        var (channel, target) = pending.Email is not null ? (MessageChannel.Email, pending.Email) : (MessageChannel.Sms, pending.Phone);
        var stillVerified = user is not null && (channel == MessageChannel.Email ? user.EmailConfirmed && user.Email == target : user.PhoneNumberConfirmed && user.PhoneNumber == target);
        if (stillVerified && target is not null)
        {
            if (await codes.QueueAsync(user!, CodePurpose.ResetPassword, channel, target, cancellationToken) is { } wait)
            {
                ModelState.AddModelError(nameof(Code), OneTimeCodes.Wait(wait));
                return Page();
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        Notice = "Nếu thông tin khớp với một tài khoản, mã mới đã được gửi.";
        return RedirectToPage();
    }

    private PendingVerification? Load() => PendingVerification.Read(HttpContext, PendingVerification.PasswordReset);
}
