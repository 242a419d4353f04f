using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts.Verification;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Accounts.Register;

/// <summary>
/// <c>/dang-ky</c>: a citizen (<c>/dang-ky/cong-dan</c>) or an organisation (<c>/dang-ky/to-chuc</c>) opens an
/// account; codes go to the e-mail and the phone at once, in the same transaction as the account. When the
/// CCCD, tax code, e-mail or phone already belongs to an account, nothing is created, that account's owner is
/// told, and the page answers exactly as for a new account, so it never reveals who is registered.
/// </summary>
[EnableRateLimiting(Policies.RegisterRateLimit)]
internal sealed class RegisterPageModel(UserManager<AppUser> users, AppDbContext db, OneTimeCodes codes, AuditLog audit, TimeProvider time) : PageModel
{
    [FromRoute(Name = "loai")]
    public string? Type { get; set; }

    public bool IsCitizen => Type == "cong-dan";

    public bool IsOrganisation => Type == "to-chuc";

    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? BirthDate { get; set; }
    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? CitizenId { get; set; }
    [BindProperty] public string? OrganisationName { get; set; }
    [BindProperty] public string? TaxCode { get; set; }
    [BindProperty] public string? Representative { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Confirm { get; set; }
    [BindProperty] public bool Agree { get; set; }

    public IActionResult OnGet() => Type is null or "cong-dan" or "to-chuc" ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!IsCitizen && !IsOrganisation)
        {
            return NotFound();
        }

        var email = Required(nameof(Email), Email, "Nhập địa chỉ email") ? Contacts.NormalizeEmail(Email) : null;
        if (Email is { Length: > 0 } && email is null)
        {
            ModelState.AddModelError(nameof(Email), "Nhập địa chỉ email đúng dạng, ví dụ ten@example.vn");
        }

        var phone = Required(nameof(Phone), Phone, "Nhập số điện thoại di động") ? Contacts.NormalizePhone(Phone) : null;
        if (Phone is { Length: > 0 } && phone is null)
        {
            ModelState.AddModelError(nameof(Phone), "Nhập số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09");
        }

        var user = IsCitizen ? ReadCitizen(email, phone) : ReadOrganisation(email, phone);
        Required(nameof(Address), Address, IsCitizen ? "Nhập địa chỉ liên hệ" : "Nhập địa chỉ trụ sở");
        if (Required(nameof(Password), Password, "Nhập mật khẩu"))
        {
            foreach (var problem in (await users.CheckPasswordPolicyAsync(user, Password!)).Take(1))
            {
                ModelState.AddModelError(nameof(Password), problem);
            }
        }

        if (Required(nameof(Confirm), Confirm, "Nhập lại mật khẩu") && Password is not null && Confirm != Password)
        {
            ModelState.AddModelError(nameof(Confirm), "Mật khẩu nhập lại không khớp");
        }

        if (!Agree)
        {
            ModelState.AddModelError(nameof(Agree), "Đánh dấu ô đồng ý với Điều khoản sử dụng để đăng ký");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        user.Address = Address!.Trim();
        var pending = await RegisterAsync(user, cancellationToken);
        pending.Write(HttpContext);
        return Redirect("/tai-khoan/xac-minh");
    }

    private AppUser ReadCitizen(string? email, string? phone)
    {
        Required(nameof(FullName), FullName, "Nhập họ và tên");
        DateOnly? born = null;
        if (Required(nameof(BirthDate), BirthDate, "Nhập ngày sinh"))
        {
            born = Formats.ParseDate(BirthDate);
            var today = Common.Time.VietnamTime.Today(time);
            if (born is null || born > today || born < today.AddYears(-130))
            {
                ModelState.AddModelError(nameof(BirthDate), "Nhập ngày sinh đúng dạng ngày/tháng/năm, ví dụ 05/09/1995");
                born = null;
            }
        }

        Sex? sex = Sex switch { "nam" => Accounts.Sex.Male, "nu" => Accounts.Sex.Female, _ => null };
        if (sex is null)
        {
            ModelState.AddModelError(nameof(Sex), "Chọn giới tính");
        }

        var id = CitizenId?.Trim().Replace(" ", string.Empty, StringComparison.Ordinal);
        if (Required(nameof(CitizenId), id, "Nhập số CCCD") && CitizenIdentity.Check(id, born, sex) is { } problem)
        {
            ModelState.AddModelError(nameof(CitizenId), problem);
        }

        return new AppUser
        {
            UserName = id,
            FullName = FullName?.Trim() ?? string.Empty,
            Kind = AccountKind.Citizen,
            CitizenId = id,
            BirthDate = born,
            Sex = sex,
            Email = email,
            PhoneNumber = phone,
        };
    }

    private AppUser ReadOrganisation(string? email, string? phone)
    {
        Required(nameof(OrganisationName), OrganisationName, "Nhập tên tổ chức, doanh nghiệp");
        var taxCode = Contacts.NormalizeTaxCode(TaxCode);
        if (Required(nameof(TaxCode), TaxCode, "Nhập mã số doanh nghiệp hoặc mã số thuế") && taxCode is null)
        {
            ModelState.AddModelError(nameof(TaxCode), "Mã số doanh nghiệp gồm 10 chữ số; mã chi nhánh thêm dấu gạch và 3 chữ số, ví dụ 0101234567-001");
        }

        Required(nameof(Representative), Representative, "Nhập họ tên người đại diện theo pháp luật");
        return new AppUser
        {
            UserName = taxCode,
            FullName = OrganisationName?.Trim() ?? string.Empty,
            Kind = AccountKind.Organisation,
            TaxCode = taxCode,
            Representative = Representative?.Trim(),
            Email = email,
            PhoneNumber = phone,
        };
    }

    private bool Required(string key, string? value, string message)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        ModelState.AddModelError(key, message);
        return false;
    }

    private async Task<PendingVerification> RegisterAsync(AppUser user, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var normalizedEmail = users.NormalizeEmail(user.Email);
            var taken = await users.Users.AsNoTracking()
                .Where(u => u.UserName == user.UserName || u.NormalizedEmail == normalizedEmail || u.PhoneNumber == user.PhoneNumber)
                .ToListAsync(cancellationToken);
            if (taken.Count == 1 && await IsThisRegistrationAgainAsync(taken[0], user))
            {
                // A double click, or the back button: the same person with the same details and password.
                return new PendingVerification(taken[0].Id, taken[0].Email, taken[0].PhoneNumber);
            }

            if (taken.Count > 0)
            {
                await TellOwnersAsync(taken, cancellationToken);
                return new PendingVerification(Guid.NewGuid(), user.Email, user.PhoneNumber);
            }

            try
            {
                await CreateAsync(user, cancellationToken);
                return new PendingVerification(user.Id, user.Email, user.PhoneNumber);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another request registered the same details a moment ago; look again.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<bool> IsThisRegistrationAgainAsync(AppUser existing, AppUser user) =>
        existing.UserName == user.UserName && existing.Email == user.Email && existing.PhoneNumber == user.PhoneNumber
        && !existing.EmailConfirmed && !existing.PhoneNumberConfirmed
        && existing.CreatedAt > time.GetUtcNow().UtcDateTime.AddMinutes(-30)
        && await users.CheckPasswordAsync(existing, Password!);

    private async Task CreateAsync(AppUser user, CancellationToken cancellationToken)
    {
        user.Id = Guid.NewGuid();
        user.CreatedAt = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        Check(await users.CreateAsync(user, Password!));
        Check(await users.AddToRoleAsync(user, user.Kind == AccountKind.Citizen ? Roles.Citizen : Roles.Organisation));
        await codes.QueueAsync(user, CodePurpose.VerifyEmail, MessageChannel.Email, user.Email!, cancellationToken);
        await codes.QueueAsync(user, CodePurpose.VerifyPhone, MessageChannel.Sms, user.PhoneNumber!, cancellationToken);
        audit.Add(AuditKind.Registered, user.Id, user.Kind == AccountKind.Citizen ? "công dân" : "tổ chức");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Tells the owners of the details where they can read it; the person registering sees the usual next page.</summary>
    private async Task TellOwnersAsync(List<AppUser> owners, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var owner in owners)
        {
            if (owner.Email is not null && owner.EmailConfirmed)
            {
                db.Add(OutboxMessage.Email(owner.Email, "Có người đăng ký tài khoản bằng thông tin của bạn", AlreadyRegistered, "dang-ky-trung", now));
            }
            else if (owner.PhoneNumber is not null && owner.PhoneNumberConfirmed)
            {
                db.Add(OutboxMessage.Sms(owner.PhoneNumber, "Co nguoi vua dang ky tai khoan Cong DVC bang thong tin cua ban. Neu la ban, hay dang nhap hoac dung Quen mat khau.", "dang-ky-trung", now));
            }
        }

        audit.Add(AuditKind.Registered, null, "trùng thông tin của tài khoản đã có; không tạo tài khoản mới");
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Không tạo được tài khoản: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    private const string AlreadyRegistered =
        "Xin chào,\n\nVừa có người dùng số CCCD, mã số doanh nghiệp, email hoặc số điện thoại của tài khoản bạn để đăng ký một tài khoản mới trên Cổng Dịch vụ công. Chúng tôi không tạo tài khoản mới.\n\nNếu đó là bạn: hãy đăng nhập, hoặc dùng “Quên mật khẩu” tại trang đăng nhập.\nNếu không phải bạn: bạn không cần làm gì.";
}
