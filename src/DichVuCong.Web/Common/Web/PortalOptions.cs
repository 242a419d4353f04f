using System.ComponentModel.DataAnnotations;

namespace DichVuCong.Web.Common.Web;

/// <summary>The deployment's identity: which province or ministry this portal serves.</summary>
internal sealed class PortalOptions
{
    public const string SectionName = "Portal";

    [Required]
    public string ProvinceName { get; set; } = "Tỉnh Nam Hà";

    [Required]
    public string Title { get; set; } = "Cổng Dịch vụ công tỉnh Nam Hà";

    [Required]
    public string AgencyInCharge { get; set; } = "Văn phòng Ủy ban nhân dân tỉnh Nam Hà";

    public string Address { get; set; } = "Số 1 đường Trần Hưng Đạo, phường Nam Hà, tỉnh Nam Hà";

    public string Phone { get; set; } = "0228 3 800 000";

    public string Email { get; set; } = "dichvucong@namha.gov.vn";

    public string PersonResponsible { get; set; } = "Chánh Văn phòng Ủy ban nhân dân tỉnh";
}
