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

    public DateTime CreatedAt { get; set; }

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
