using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts.Verification;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Accounts.Profile;

/// <summary>
/// <c>/tai-khoan</c> (Hồ sơ cá nhân): what the portal knows about the signed-in person, and editing it. The
/// CCCD and tax code are fixed (they identify the account). A new e-mail or phone is unverified until its
/// code is entered; the old address is told of the change.
/// </summary>
[Authorize]
internal sealed class ProfilePageModel(UserManager<AppUser> users, SignInManager<AppUser> signIn, AppDbContext db, OneTimeCodes codes, AuditLog audit, TimeProvider time) : PageModel
{
    public AppUser Account { get; private set; } = null!;

    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? BirthDate { get; set; }
    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? Representative { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Address { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public bool Editing { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool sua = false)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Account = user;
        Editing = sua;
        FullName = user.FullName;
        BirthDate = user.BirthDate is { } b ? Formats.Date(b) : null;
        Sex = user.Sex switch { Accounts.Sex.Male => "nam", Accounts.Sex.Female => "nu", _ => null };
        Representative = user.Representative;
        Email = user.Email;
        Phone = user.PhoneNumber;
        Address = user.Address;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        Account = user;
        Editing = true;
        var citizen = user.Kind == AccountKind.Citizen;
        if (string.IsNullOrWhiteSpace(FullName))
        {
            ModelState.AddModelError(nameof(FullName), user.Kind == AccountKind.Organisation ? "Nhập tên tổ chức, doanh nghiệp" : "Nhập họ và tên");
        }

        var born = Formats.ParseDate(BirthDate);
        if (citizen && born is null)
        {
            ModelState.AddModelError(nameof(BirthDate), "Nhập ngày sinh đúng dạng ngày/tháng/năm, ví dụ 05/09/1995");
        }

        Sex? sex = Sex switch { "nam" => Accounts.Sex.Male, "nu" => Accounts.Sex.Female, _ => null };
        if (citizen && sex is null)
        {
            ModelState.AddModelError(nameof(Sex), "Chọn giới tính");
        }

        if (citizen && born is not null && sex is not null && user.CitizenId is { } id && CitizenIdentity.Check(id, born, sex) is { } problem)
        {
            ModelState.AddModelError(nameof(BirthDate), problem);
        }

        var email = Contacts.NormalizeEmail(Email);
        if (email is null)
        {
            ModelState.AddModelError(nameof(Email), "Nhập địa chỉ email đúng dạng, ví dụ ten@example.vn");
        }

        var phone = Contacts.NormalizePhone(Phone);
        if (phone is null)
        {
            ModelState.AddModelError(nameof(Phone), "Nhập số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09");
        }

        var emailChanged = email is not null && !string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase);
        var phoneChanged = phone is not null && phone != user.PhoneNumber;
        var normalizedEmail = users.NormalizeEmail(email);
        if (emailChanged && await users.Users.AnyAsync(u => u.Id != user.Id && u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            ModelState.AddModelError(nameof(Email), "Không dùng được email này cho tài khoản của bạn. Hãy dùng một email khác.");
        }

        if (phoneChanged && await users.Users.AnyAsync(u => u.Id != user.Id && u.PhoneNumber == phone, cancellationToken))
        {
            ModelState.AddModelError(nameof(Phone), "Không dùng được số điện thoại này cho tài khoản của bạn. Hãy dùng một số khác.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var now = time.GetUtcNow().UtcDateTime;
        user.FullName = FullName!.Trim();
        user.Address = string.IsNullOrWhiteSpace(Address) ? null : Address.Trim();
        if (citizen)
        {
            user.BirthDate = born;
            user.Sex = sex;
        }

        if (user.Kind == AccountKind.Organisation)
        {
            user.Representative = Representative?.Trim();
        }

        if (emailChanged)
        {
            if (user.Email is { } old && user.EmailConfirmed)
            {
                db.Add(OutboxMessage.Email(old, "Email của tài khoản đã được thay đổi", $"Xin chào {user.FullName},\n\nEmail của tài khoản bạn trên Cổng Dịch vụ công vừa được đổi thành {Contacts.MaskEmail(email!)}. Nếu không phải bạn thay đổi, hãy đặt lại mật khẩu ngay và liên hệ Bộ phận Một cửa.", "doi-email", now));
            }

            user.Email = email;
            user.EmailConfirmed = false;
            await codes.QueueAsync(user, CodePurpose.VerifyEmail, MessageChannel.Email, email!, cancellationToken);
        }

        if (phoneChanged)
        {
            if (user.PhoneNumber is { } old && user.PhoneNumberConfirmed)
            {
                db.Add(OutboxMessage.Sms(old, $"So dien thoai tai khoan Cong DVC cua ban vua duoc doi thanh {Contacts.MaskPhone(phone!)}. Neu khong phai ban, hay dat lai mat khau ngay.", "doi-so-dien-thoai", now));
            }

            user.PhoneNumber = phone;
            user.PhoneNumberConfirmed = false;
            await codes.QueueAsync(user, CodePurpose.VerifyPhone, MessageChannel.Sms, phone!, cancellationToken);
        }

        audit.Add(AuditKind.ProfileChanged, user.Id, string.Join(", ", new[] { emailChanged ? "email" : null, phoneChanged ? "số điện thoại" : null, "thông tin cá nhân" }.Where(x => x is not null)));
        // One save: the account, the codes, the messages to old addresses and the audit record together.
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            ModelState.AddModelError(nameof(FullName), saved.Errors.First().Description);
            return Page();
        }

        await signIn.RefreshSignInAsync(user);
        if (emailChanged || phoneChanged)
        {
            TempData["Notice"] = "Đã lưu. Nhập mã vừa gửi để xác minh " + (emailChanged && phoneChanged ? "email và số điện thoại mới." : emailChanged ? "email mới." : "số điện thoại mới.");
            return Redirect("/tai-khoan/xac-minh");
        }

        Notice = "Đã lưu thông tin cá nhân.";
        return RedirectToPage();
    }
}
