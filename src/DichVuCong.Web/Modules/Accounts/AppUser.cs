using Microsoft.AspNetCore.Identity;

namespace DichVuCong.Web.Modules.Accounts;

internal enum AccountKind
{
    Citizen = 1,
    Organisation = 2,
    Officer = 3,
    Administrator = 4,
}

/// <summary>A person or organisation with an account; officers also belong to agencies.</summary>
internal sealed class AppUser : IdentityUser<Guid>
{
    public required string FullName { get; set; }

    public AccountKind Kind { get; set; }

    /// <summary>Số định danh cá nhân (CCCD, 12 digits) of a citizen; a way to sign in. Never logged.</summary>
    public string? CitizenId { get; set; }

    /// <summary>
    /// True when the CCCD is proven (by the national identity provider, or at the one-stop desk), false when
    /// it was only typed at registration. The national identity is linked to an account whose CCCD is not
    /// proven only when the person also knows that account's password.
    /// </summary>
    public bool CitizenIdVerified { get; set; }

    public DateOnly? BirthDate { get; set; }

    public Sex? Sex { get; set; }

    /// <summary>Địa chỉ liên hệ of a citizen, or the head office of an organisation.</summary>
    public string? Address { get; set; }

    /// <summary>Mã số doanh nghiệp / mã số thuế of an organisation; also its user name.</summary>
    public string? TaxCode { get; set; }

    /// <summary>Người đại diện theo pháp luật of an organisation.</summary>
    public string? Representative { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// True when every contact the account has is verified (and it has one): only then may a citizen or
    /// organisation submit dossiers, since results and codes are sent there.
    /// </summary>
    public bool ContactsVerified =>
        (Email is not null || PhoneNumber is not null)
        && (Email is null || EmailConfirmed)
        && (PhoneNumber is null || PhoneNumberConfirmed);
    /// <summary>The 30-second step of the last authenticator code accepted; a code is never accepted twice.</summary>
    public long? LastTotpStep { get; set; }

    public List<UserAgency> Agencies { get; private set; } = [];
}

internal sealed class AppRole : IdentityRole<Guid>
{
    public string? DisplayName { get; set; }
}

/// <summary>An officer's membership of an agency; every back-office permission is scoped to these.</summary>
internal sealed class UserAgency
{
    public Guid UserId { get; set; }

    public int AgencyId { get; set; }
}

/// <summary>Role names, as stored; the Vietnamese label is for people.</summary>
internal static class Roles
{
    public const string Citizen = "citizen";
    public const string Organisation = "organisation";
    public const string Reception = "reception";
    public const string Specialist = "specialist";
    public const string Leader = "leader";
    public const string AgencyAdmin = "agency_admin";
    public const string SystemAdmin = "system_admin";

    public static readonly (string Name, string Label)[] All =
    [
        (Citizen, "Công dân"),
        (Organisation, "Tổ chức, doanh nghiệp"),
        (Reception, "Cán bộ tiếp nhận"),
        (Specialist, "Chuyên viên thụ lý"),
        (Leader, "Lãnh đạo"),
        (AgencyAdmin, "Quản trị đơn vị"),
        (SystemAdmin, "Quản trị hệ thống"),
    ];
}

/// <summary>Who is signed in, as the cookie or the bearer token says.</summary>
internal static class UserClaims
{
    /// <summary>The account's id, or null for an anonymous visitor.</summary>
    public static Guid? Id(System.Security.Claims.ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, out var id) ? id : null;
}
