using System.Globalization;
using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Accounts.NationalIdentity;

/// <summary>
/// <c>/dang-nhap/vneid</c>. POST (the button on the sign-in page) sends the browser to the national identity
/// provider. GET is where it lands once the provider's answer has been checked: the account linked to that
/// identity is signed in; the first time, an account with the same CCCD is linked, or a citizen account is
/// created from the provider's claims. Accounts with two-factor sign-in still enter their authenticator code.
/// </summary>
[EnableRateLimiting(Policies.SignInRateLimit)]
internal sealed class NationalIdentityPageModel(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    AppDbContext db,
    AuditLog audit,
    IOptions<NationalIdentityOptions> options,
    TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    /// <summary>Set when the provider's answer failed its checks or the person cancelled there.</summary>
    [BindProperty(SupportsGet = true, Name = "loi")]
    public string? Failed { get; set; }

    public string? Error { get; private set; }

    /// <summary>The masked CCCD of a registered account the national identity can be linked to with its password.</summary>
    public string? LinkTo { get; private set; }

    [BindProperty]
    public string? Password { get; set; }

    public string DisplayName => options.Value.DisplayName;

    public IActionResult OnPost()
    {
        var landing = Url.Page("/Modules/Accounts/NationalIdentity/NationalIdentityPage", new { returnUrl = SafeReturnUrl() });
        return Challenge(signIn.ConfigureExternalAuthenticationProperties(NationalIdentityOptions.Scheme, landing), NationalIdentityOptions.Scheme);
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var info = Failed is null ? await signIn.GetExternalLoginInfoAsync() : null;
        if (info is null)
        {
            await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
            Error = $"Chưa đăng nhập được bằng {DisplayName}: không nhận được kết quả xác thực hoặc kết quả không hợp lệ. Vui lòng thử lại.";
            return Page();
        }

        var person = ProvidedPerson.Read(info.Principal, options.Value.CitizenIdClaim);
        if (person.Problem is not null)
        {
            await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
            await audit.RecordAsync(AuditKind.SignInFailed, null, $"{DisplayName}: {person.Problem}", cancellationToken);
            Error = $"{DisplayName} trả về thông tin định danh không hợp lệ ({person.Problem}), nên Cổng không thể đăng nhập cho bạn. "
                + "Vui lòng liên hệ bộ phận hỗ trợ, hoặc đăng nhập bằng tên đăng nhập và mật khẩu.";
            return Page();
        }

        var user = await users.FindByLoginAsync(info.LoginProvider, info.ProviderKey);
        if (user is null)
        {
            var holder = await users.Users.FirstOrDefaultAsync(u => u.CitizenId == person.CitizenId, cancellationToken);
            if (holder is { CitizenIdVerified: false })
            {
                // Anyone can type a CCCD when registering: ask for that account's password before linking.
                LinkTo = CitizenIdentity.Mask(holder.CitizenId!);
                return Page();
            }

            user = await LinkOrCreateAsync(info, person, holder, cancellationToken);
        }

        return await FinishAsync(info, user, cancellationToken);
    }

    /// <summary>The password of the account registered with the same CCCD, to link the national identity to it.</summary>
    public async Task<IActionResult> OnPostLinkAsync(CancellationToken cancellationToken)
    {
        var info = await signIn.GetExternalLoginInfoAsync();
        if (info is null)
        {
            return RedirectToPage(new { returnUrl = SafeReturnUrl() });
        }

        var person = ProvidedPerson.Read(info.Principal, options.Value.CitizenIdClaim);
        var holder = person.Problem is null ? await users.Users.FirstOrDefaultAsync(u => u.CitizenId == person.CitizenId, cancellationToken) : null;
        if (holder is null)
        {
            return RedirectToPage(new { returnUrl = SafeReturnUrl() });
        }

        var check = await signIn.CheckPasswordSignInAsync(holder, Password ?? string.Empty, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            await audit.RecordAsync(check.IsLockedOut ? AuditKind.LockedOut : AuditKind.SignInFailed, holder.Id, $"{DisplayName}: liên kết tài khoản", cancellationToken);
            LinkTo = CitizenIdentity.Mask(holder.CitizenId!);
            Error = "Mật khẩu không đúng, hoặc tài khoản đang tạm khóa do nhập sai nhiều lần.";
            return Page();
        }

        holder.CitizenIdVerified = true;
        return await FinishAsync(info, await LinkOrCreateAsync(info, person, holder, cancellationToken), cancellationToken);
    }

    private async Task<IActionResult> FinishAsync(ExternalLoginInfo info, AppUser user, CancellationToken cancellationToken)
    {
        var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: false);
        if (result.RequiresTwoFactor)
        {
            // Officers and administrators: the national identity is the first factor, their authenticator the second.
            return RedirectToPage("/Modules/Accounts/SignIn/SecondFactorPage", new { returnUrl = SafeReturnUrl() });
        }

        if (!result.Succeeded)
        {
            await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
            await audit.RecordAsync(result.IsLockedOut ? AuditKind.LockedOut : AuditKind.SignInFailed, user.Id, DisplayName, cancellationToken);
            Error = "Tài khoản đang tạm khóa hoặc chưa được phép đăng nhập. Vui lòng thử lại sau hoặc liên hệ bộ phận hỗ trợ.";
            return Page();
        }

        await audit.RecordAsync(AuditKind.ExternalSignIn, user.Id, DisplayName, cancellationToken);
        return LocalRedirect(SafeReturnUrl());
    }

    /// <summary>
    /// The provider vouches for the CCCD, so an account holding the same number is that person's: it is
    /// linked. Otherwise a citizen account is made from the claims, with no password (one can be set later
    /// through "forgot password"); the phone is taken as confirmed, the provider having verified it.
    /// </summary>
    private async Task<AppUser> LinkOrCreateAsync(ExternalLoginInfo info, ProvidedPerson person, AppUser? holder, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = holder;
        var existing = user is not null;
        if (user is null)
        {
            user = new AppUser
            {
                UserName = "vneid." + Guid.NewGuid().ToString("N")[..12],
                FullName = person.Name,
                Kind = AccountKind.Citizen,
                CitizenId = person.CitizenId,
                CitizenIdVerified = true,
                PhoneNumber = person.Phone,
                PhoneNumberConfirmed = person.Phone is not null && person.PhoneVerified,
                CreatedAt = time.GetUtcNow().UtcDateTime,
                LockoutEnabled = true,
            };
            Check(await users.CreateAsync(user));
            Check(await users.AddToRoleAsync(user, Roles.Citizen));
        }

        Check(await users.AddLoginAsync(user, new UserLoginInfo(info.LoginProvider, info.ProviderKey, DisplayName)));
        await audit.RecordAsync(
            AuditKind.ExternalLinked,
            user.Id,
            existing ? $"{DisplayName}: liên kết với tài khoản có sẵn cùng số CCCD" : $"{DisplayName}: tạo tài khoản công dân mới",
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    private string SafeReturnUrl() => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not link or create the account: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }
}

/// <summary>What the provider says about the person, read from its id_token claims.</summary>
internal sealed record ProvidedPerson(string CitizenId, string Name, string? Phone, bool PhoneVerified, string? Problem)
{
    public static ProvidedPerson Read(ClaimsPrincipal principal, string citizenIdClaim)
    {
        var citizenId = principal.FindFirstValue(citizenIdClaim)?.Trim() ?? string.Empty;
        var name = principal.FindFirstValue("name")?.Trim() ?? string.Empty;
        DateOnly? born = DateOnly.TryParseExact(principal.FindFirstValue("birthdate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        Sex? sex = principal.FindFirstValue("gender") switch
        {
            "male" => Sex.Male,
            "female" => Sex.Female,
            _ => null,
        };
        var problem = name.Length == 0 ? "thiếu họ tên" : CitizenIdentity.Check(citizenId, born, sex) is null ? null : "số CCCD sai cấu trúc";
        var verified = !string.Equals(principal.FindFirstValue("phone_number_verified"), "false", StringComparison.OrdinalIgnoreCase);
        return new ProvidedPerson(citizenId, name, LocalPhone(principal.FindFirstValue("phone_number")), verified, problem);
    }

    /// <summary>+84 912 345 678 (E.164, as OpenID Connect sends it) becomes 0912345678, as the portal stores phones.</summary>
    private static string? LocalPhone(string? phone)
    {
        var digits = new string((phone ?? string.Empty).Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("84", StringComparison.Ordinal) && digits.Length == 11)
        {
            digits = "0" + digits[2..];
        }

        return digits.Length is >= 9 and <= 11 ? digits : null;
    }
}
