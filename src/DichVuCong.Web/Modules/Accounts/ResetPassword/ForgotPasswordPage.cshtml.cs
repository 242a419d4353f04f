using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts.Verification;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace DichVuCong.Web.Modules.Accounts.ResetPassword;

/// <summary>
/// <c>/quen-mat-khau</c>: a code to set a new password goes to a verified e-mail or phone of the account —
/// the one typed, or for a CCCD or user name the e-mail, else the phone. The answer is the same whether or
/// not an account matched.
/// </summary>
[EnableRateLimiting(Policies.RegisterRateLimit)]
internal sealed class ForgotPasswordPageModel(UserManager<AppUser> users, AppDbContext db, OneTimeCodes codes, AuditLog audit) : PageModel
{
    [BindProperty]
    public string? Login { get; set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var login = Login?.Trim();
        if (string.IsNullOrEmpty(login))
        {
            ModelState.AddModelError(nameof(Login), "Nhập số CCCD, email, số điện thoại hoặc tên đăng nhập của tài khoản");
            return Page();
        }

        var user = await users.FindByLoginAsync(login, cancellationToken);
        var (channel, target) = user is null ? default : ChannelFor(user, login);
        var pending = new PendingVerification(user?.Id ?? Guid.NewGuid(), channel == MessageChannel.Email ? target : null, channel == MessageChannel.Sms ? target : null);
        if (user is not null && target is not null
            && await codes.QueueAsync(user, CodePurpose.ResetPassword, channel, target, cancellationToken) is null)
        {
            audit.Add(AuditKind.PasswordReset, user.Id, "gửi mã đặt lại mật khẩu");
            await db.SaveChangesAsync(cancellationToken);
        }

        pending.Write(HttpContext, PendingVerification.PasswordReset);
        return Redirect("/quen-mat-khau/dat-lai");
    }

    /// <summary>Where the code goes: only ever a verified address of the account.</summary>
    private static (MessageChannel, string?) ChannelFor(AppUser user, string login)
    {
        var typedEmail = login.Contains('@', StringComparison.Ordinal);
        var typedPhone = !typedEmail && Contacts.NormalizePhone(login) is not null && Contacts.NormalizePhone(login) == user.PhoneNumber;
        var email = user.EmailConfirmed ? user.Email : null;
        var phone = user.PhoneNumberConfirmed ? user.PhoneNumber : null;
        return typedPhone && phone is not null ? (MessageChannel.Sms, phone)
            : email is not null ? (MessageChannel.Email, email)
            : (MessageChannel.Sms, phone);
    }
}
