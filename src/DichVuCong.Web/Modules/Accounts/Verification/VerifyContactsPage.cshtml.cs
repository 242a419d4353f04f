using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace DichVuCong.Web.Modules.Accounts.Verification;

/// <summary>
/// <c>/tai-khoan/xac-minh</c>: enter the codes sent to the e-mail and the phone, or ask for new ones. Used
/// right after registering (the account named by <see cref="PendingVerification"/>, signed in once both are
/// verified) and later by a signed-in person whose e-mail or phone is not verified yet.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(Policies.OtpRateLimit)]
internal sealed class VerifyContactsPageModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AppDbContext db, OneTimeCodes codes, AuditLog audit) : PageModel
{
    public string? Email { get; private set; }

    public string? Phone { get; private set; }

    public bool EmailVerified { get; private set; }

    public bool PhoneVerified { get; private set; }

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    [BindProperty]
    public string? Code { get; set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>The code field's error, keyed by the channel it belongs to ("email" or "phone").</summary>
    public (string Channel, string Message)? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await LoadAsync() is null && !SignedIn && PendingVerification.Read(HttpContext) is null
            ? Redirect("/dang-nhap?returnUrl=%2Ftai-khoan%2Fxac-minh")
            : Page();

    public Task<IActionResult> OnPostEmailAsync(CancellationToken cancellationToken) => VerifyAsync(CodePurpose.VerifyEmail, cancellationToken);

    public Task<IActionResult> OnPostPhoneAsync(CancellationToken cancellationToken) => VerifyAsync(CodePurpose.VerifyPhone, cancellationToken);

    public Task<IActionResult> OnPostResendEmailAsync(CancellationToken cancellationToken) => ResendAsync(CodePurpose.VerifyEmail, cancellationToken);

    public Task<IActionResult> OnPostResendPhoneAsync(CancellationToken cancellationToken) => ResendAsync(CodePurpose.VerifyPhone, cancellationToken);

    private async Task<IActionResult> VerifyAsync(CodePurpose purpose, CancellationToken cancellationToken)
    {
        var user = await LoadAsync();
        if (user is null && !SignedIn && PendingVerification.Read(HttpContext) is null)
        {
            return Redirect("/dang-nhap");
        }

        var channel = purpose == CodePurpose.VerifyEmail ? "email" : "phone";
        if (string.IsNullOrWhiteSpace(Code) || Code.Count(char.IsAsciiDigit) != 6)
        {
            Error = (channel, "Nhập mã gồm 6 chữ số đã được gửi đến bạn");
            return Page();
        }

        // An account that does not exist (the details belonged to someone else) fails like a wrong code.
        var check = user is null ? new CodeCheck.NeedsNewCode() : await codes.CheckAsync(user.Id, purpose, Code, cancellationToken);
        var target = purpose == CodePurpose.VerifyEmail ? user?.Email : user?.PhoneNumber;
        if (check is not CodeCheck.Accepted accepted || accepted.Target != target)
        {
            Error = (channel, OneTimeCodes.Explain(check));
            return Page();
        }

        if (purpose == CodePurpose.VerifyEmail)
        {
            user!.EmailConfirmed = true;
        }
        else
        {
            user!.PhoneNumberConfirmed = true;
        }

        audit.Add(AuditKind.ContactVerified, user.Id, purpose == CodePurpose.VerifyEmail ? "email" : "số điện thoại");
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            throw new InvalidOperationException("Không lưu được kết quả xác minh: " + string.Join("; ", updated.Errors.Select(e => e.Code)));
        }

        Notice = purpose == CodePurpose.VerifyEmail ? "Đã xác minh email." : "Đã xác minh số điện thoại.";
        if (SignedIn)
        {
            await signIn.RefreshSignInAsync(user);
        }
        else if (user.ContactsVerified)
        {
            PendingVerification.Clear(HttpContext);
            await signIn.SignInAsync(user, isPersistent: false);
            await audit.RecordAsync(AuditKind.SignIn, user.Id, "sau khi đăng ký", cancellationToken);
            Notice = "Đã xác minh email và số điện thoại. Tài khoản của bạn đã sẵn sàng để nộp hồ sơ trực tuyến.";
        }

        return RedirectToPage();
    }

    private async Task<IActionResult> ResendAsync(CodePurpose purpose, CancellationToken cancellationToken)
    {
        var user = await LoadAsync();
        if (user is null && !SignedIn && PendingVerification.Read(HttpContext) is null)
        {
            return Redirect("/dang-nhap");
        }

        var target = purpose == CodePurpose.VerifyEmail ? user?.Email : user?.PhoneNumber;
        var verified = purpose == CodePurpose.VerifyEmail ? EmailVerified : PhoneVerified;
        if (user is not null && target is not null && !verified)
        {
            var wait = await codes.QueueAsync(user, purpose, purpose == CodePurpose.VerifyEmail ? MessageChannel.Email : MessageChannel.Sms, target, cancellationToken);
            if (wait is { } w)
            {
                Error = (purpose == CodePurpose.VerifyEmail ? "email" : "phone", OneTimeCodes.Wait(w));
                return Page();
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        Notice = purpose == CodePurpose.VerifyEmail ? "Đã gửi mã mới đến email của bạn." : "Đã gửi mã mới đến số điện thoại của bạn.";
        return RedirectToPage();
    }

    /// <summary>The signed-in person, else the one who just registered; fills what the page shows.</summary>
    private async Task<AppUser?> LoadAsync()
    {
        AppUser? user;
        if (SignedIn)
        {
            user = await users.GetUserAsync(User);
        }
        else if (PendingVerification.Read(HttpContext) is { } pending)
        {
            user = await users.FindByIdAsync(pending.UserId.ToString());
            Email = pending.Email;
            Phone = pending.Phone;
        }
        else
        {
            return null;
        }

        if (user is not null)
        {
            Email = user.Email;
            Phone = user.PhoneNumber;
            EmailVerified = user.EmailConfirmed;
            PhoneVerified = user.PhoneNumberConfirmed;
        }

        return user;
    }
}
