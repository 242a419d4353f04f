using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers.EForms;

namespace DichVuCong.Web.Modules.Dossiers.SubmitDossier;

/// <summary>The wizard's steps, one topic per page, and what must be complete before a dossier is sent.</summary>
internal static class Wizard
{
    public const string Review = "kiem-tra";

    public const string Done = "da-nop";

    public const string EFormStep = "to-khai";

    public const string FilesStep = "giay-to";

    public static readonly (string Slug, string Title)[] Steps =
    [
        ("nguoi-nop", "Thông tin người nộp"),
        (EFormStep, "Tờ khai"),
        (FilesStep, "Giấy tờ kèm theo"),
        ("nhan-ket-qua", "Hình thức nhận kết quả"),
        (Review, "Kiểm tra lại và gửi"),
    ];

    /// <summary>The steps of a dossier: the e-form step only where the procedure has an e-form.</summary>
    public static (string Slug, string Title)[] StepsFor(EForm? form) => [.. Steps.Where(s => form is not null || s.Slug != EFormStep)];

    /// <summary>What is missing or wrong, by step, in Vietnamese; empty when the dossier can be sent.</summary>
    public static List<(string Step, string Key, string Message)> Check(Dossier dossier, AccountKind ownerKind, EForm? form, IReadOnlyList<Component> components, DateOnly today)
    {
        var problems = new List<(string, string, string)>();
        foreach (var (key, message) in CheckApplicant(dossier.Applicant, ownerKind))
        {
            problems.Add(("nguoi-nop", key, message));
        }

        if (form is not null)
        {
            foreach (var (key, messages) in form.Validate(EFormRegistry.FromJson(dossier.EFormJson), today).Errors)
            {
                problems.Add((EFormStep, key, messages[0]));
            }
        }

        foreach (var (key, message) in CheckFiles(dossier, form, components))
        {
            problems.Add((FilesStep, key, message));
        }

        foreach (var (key, message) in CheckDelivery(dossier.Delivery, dossier.DeliveryAddress))
        {
            problems.Add(("nhan-ket-qua", key, message));
        }

        return problems;
    }

    /// <summary>
    /// The applicant as typed on the page or sent to the API, tidied the same way (spaces out of the CCCD, a phone in
    /// its 10-digit form); a submitter acting on someone's behalf is the signed-in account.
    /// </summary>
    public static Applicant ApplicantOf(string? fullName, string? identityNumber, DateOnly? birthDate, string? phone, string? email, string? address, bool onBehalf, AppUser owner) => new()
    {
        FullName = fullName?.Trim() ?? string.Empty,
        IdentityNumber = identityNumber?.Trim().Replace(" ", string.Empty, StringComparison.Ordinal),
        BirthDate = birthDate,
        Phone = Contacts.NormalizePhone(phone) ?? phone?.Trim(),
        Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
        Address = address?.Trim(),
        OnBehalf = onBehalf,
        AgentName = onBehalf ? owner.FullName : null,
        AgentIdentityNumber = onBehalf ? owner.CitizenId ?? owner.TaxCode : null,
    };

    /// <summary>The applicant's details: an organisation applying for itself gives its tax code, anyone else a CCCD.</summary>
    public static IEnumerable<(string Key, string Message)> CheckApplicant(Applicant a, AccountKind ownerKind)
    {
        if (string.IsNullOrWhiteSpace(a.FullName))
        {
            yield return ("ApplicantName", ownerKind == AccountKind.Organisation && !a.OnBehalf ? "Nhập tên tổ chức" : "Nhập họ và tên người nộp hồ sơ");
        }

        if (ownerKind == AccountKind.Organisation && !a.OnBehalf)
        {
            if (Contacts.NormalizeTaxCode(a.IdentityNumber) is null)
            {
                yield return ("ApplicantId", "Nhập mã số doanh nghiệp gồm 10 chữ số (chi nhánh: thêm dấu gạch và 3 chữ số)");
            }
        }
        else if (CitizenIdentity.Check(a.IdentityNumber, a.BirthDate) is { } problem)
        {
            yield return ("ApplicantId", problem);
        }

        if (Contacts.NormalizePhone(a.Phone) is null)
        {
            yield return ("ApplicantPhone", "Nhập số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09");
        }

        if (!string.IsNullOrWhiteSpace(a.Email) && Contacts.NormalizeEmail(a.Email) is null)
        {
            yield return ("ApplicantEmail", "Nhập địa chỉ email đúng dạng, ví dụ ten@example.vn");
        }

        if (string.IsNullOrWhiteSpace(a.Address))
        {
            yield return ("ApplicantAddress", "Nhập địa chỉ liên hệ");
        }
    }

    /// <summary>A document component of the procedure, as the files step lists it.</summary>
    internal sealed record Component(int Id, string Name, bool Required, string? Note);

    /// <summary>
    /// A paper declaration ("Tờ khai …", "Đơn …") is replaced by the e-form where the procedure has one;
    /// every other required component needs at least one file.
    /// </summary>
    public static bool CoveredByEForm(Component component, EForm? form)
    {
        if (form is null)
        {
            return false;
        }

        var name = Common.Text.VietnameseText.Fold(component.Name);
        return name.StartsWith("to khai", StringComparison.Ordinal) || name.StartsWith("don ", StringComparison.Ordinal);
    }

    public static IEnumerable<(string Key, string Message)> CheckFiles(Dossier dossier, EForm? form, IReadOnlyList<Component> components)
    {
        foreach (var c in components.Where(c => c.Required && !CoveredByEForm(c, form)))
        {
            if (!dossier.Files.Any(f => f.ComponentId == c.Id))
            {
                yield return ("file-" + c.Id, $"Tải lên “{c.Name}”");
            }
        }
    }

    public static IEnumerable<(string Key, string Message)> CheckDelivery(DeliveryMethod? method, string? address)
    {
        if (method is null)
        {
            yield return ("Delivery", "Chọn hình thức nhận kết quả");
        }
        else if (method == DeliveryMethod.Post && string.IsNullOrWhiteSpace(address))
        {
            yield return ("DeliveryAddress", "Nhập địa chỉ nhận kết quả qua bưu chính");
        }
    }

    public static string DeliveryLabel(DeliveryMethod? method) => method switch
    {
        DeliveryMethod.AtDesk => "Nhận trực tiếp tại Bộ phận Một cửa",
        DeliveryMethod.Post => "Nhận qua dịch vụ bưu chính công ích",
        DeliveryMethod.Online => "Nhận trực tuyến (bản điện tử trong tài khoản)",
        _ => "Chưa chọn",
    };

    public static string Date(DateOnly? date) => date is { } d ? Formats.Date(d) : string.Empty;
}
