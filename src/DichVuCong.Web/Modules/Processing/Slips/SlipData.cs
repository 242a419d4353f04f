namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>The rule whose slip layouts apply: the one in force on the day the dossier was received (SPEC §4, shared/FORMS.md).</summary>
internal enum Regime
{
    /// <summary>Thông tư 01/2018/TT-VPCP, Mẫu 01–06: dossiers received before 15/9/2025.</summary>
    Tt01Of2018,

    /// <summary>Thông tư 03/2025/TT-VPCP, Mẫu 01–07: dossiers received from 15/9/2025.</summary>
    Tt03Of2025,
}

/// <summary>The one-stop slips. Which form number each is, and whether a regime has it at all, is in the templates.</summary>
internal enum SlipKind
{
    /// <summary>Giấy tiếp nhận hồ sơ và hẹn trả kết quả.</summary>
    Receipt,

    /// <summary>Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.</summary>
    SupplementRequest,

    /// <summary>Phiếu từ chối tiếp nhận giải quyết hồ sơ.</summary>
    Refusal,

    /// <summary>Phiếu xin lỗi và hẹn lại ngày trả kết quả (2018); Văn bản xin lỗi và đề nghị gia hạn (2025).</summary>
    Apology,

    /// <summary>Thông báo dừng giải quyết hồ sơ: only in Thông tư 03/2025.</summary>
    Stop,

    /// <summary>Phiếu kiểm soát quá trình giải quyết hồ sơ.</summary>
    ControlSheet,

    /// <summary>Sổ theo dõi hồ sơ: rendered from <see cref="RegisterData"/>.</summary>
    Register,

    /// <summary>Biên lai thu phí, lệ phí: not a one-stop form, so in no regime (<see cref="FeeReceipts"/>).</summary>
    FeeReceipt,
}

/// <summary>How a step ended against its due time (SPEC §4 Timeliness); <see cref="Pending"/> while it runs.</summary>
internal enum StepTimeliness
{
    Pending,
    Early,
    OnTime,
    Late,
}

/// <summary>The issuing unit as its header prints it: the authority above it, then its own name.</summary>
/// <param name="ParentName">E.g. "Ủy ban nhân dân tỉnh Nam Hà"; empty for a unit printed alone.</param>
/// <param name="Name">E.g. "Trung tâm Phục vụ hành chính công tỉnh Nam Hà".</param>
/// <param name="Place">The place name of the date line ("Nam Hà, ngày …").</param>
internal sealed record SlipAgency(string ParentName, string Name, string Place)
{
    public string? Address { get; init; }

    public string? Phone { get; init; }
}

internal sealed record SlipApplicant(string Name)
{
    /// <summary>Printed in full: the slip goes to the person it names (never logged).</summary>
    public string? CitizenId { get; init; }

    public string? Address { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }
}

/// <summary>A document received or asked for: name, form (bản chính, bản sao, bản chụp) and number of copies.</summary>
internal sealed record SlipDocument(string Name, string? Form = null, int Copies = 1);

/// <summary>One hand-over on the control sheet: who gave the dossier to whom, when, and how the step ended.</summary>
internal sealed record SlipStep(string Name, string From, string To, DateTime HandedAt)
{
    public DateTime? DueAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public StepTimeliness Timeliness { get; init; }

    public string? GiverName { get; init; }

    public string? ReceiverName { get; init; }

    public string? Note { get; init; }
}

/// <summary>
/// Everything a slip can show, as plain data (times are UTC and printed in Vietnam time). A template
/// uses what its form needs; what it names but the data leaves empty prints as a dotted blank.
/// </summary>
internal sealed record SlipData
{
    public required SlipAgency Agency { get; init; }

    /// <summary>The slip's number; the template adds its suffix ("…/TTPVHCC").</summary>
    public required string Number { get; init; }

    public required DateOnly IssuedOn { get; init; }

    public required string DossierCode { get; init; }

    public required string ProcedureName { get; init; }

    public string? ProcedureCode { get; init; }

    public required SlipApplicant Applicant { get; init; }

    /// <summary>Decides the regime (<see cref="SlipRenderer.RegimeOn"/>).</summary>
    public required DateTime ReceivedAt { get; init; }

    public DateTime? DueAt { get; init; }

    /// <summary>The time limit as the catalog words it, e.g. "05 ngày làm việc".</summary>
    public string? TimeLimit { get; init; }

    /// <summary>Số lượng hồ sơ (bộ).</summary>
    public int Sets { get; init; } = 1;

    /// <summary>Where or how the result is collected ("Đăng ký nhận kết quả tại").</summary>
    public string? ResultDelivery { get; init; }

    public string? Fee { get; init; }

    public IReadOnlyList<SlipDocument> Documents { get; init; } = [];

    /// <summary>What the applicant must add (Mẫu 02).</summary>
    public IReadOnlyList<SlipDocument> MissingItems { get; init; } = [];

    /// <summary>Why: the supplement, refusal, apology or stop.</summary>
    public string? Reason { get; init; }

    /// <summary>The new return date of an apology.</summary>
    public DateTime? NewDueAt { get; init; }

    /// <summary>The agency (unit) deciding the dossier, and those consulted (control sheet).</summary>
    public string? HandlingAgency { get; init; }

    public string? CoordinatingAgencies { get; init; }

    public IReadOnlyList<SlipStep> Steps { get; init; } = [];

    /// <summary>The officer who received, guided or issued (printed under the signature).</summary>
    public string? OfficerName { get; init; }

    public string? OfficerPhone { get; init; }

    /// <summary>Who signs for the agency (apology, stop notice) and as what.</summary>
    public string? SignerName { get; init; }

    public string? SignerTitle { get; init; }

    /// <summary>Quyển số and Số thứ tự in the register.</summary>
    public string? RegisterBook { get; init; }

    public string? RegisterEntry { get; init; }

    /// <summary>The public lookup of this dossier: the QR code opens it.</summary>
    public required string LookupUrl { get; init; }
}

/// <summary>One dossier in the register.</summary>
internal sealed record RegisterRow(string DossierCode, string ProcedureName, string ApplicantName, DateTime ReceivedAt)
{
    public string? ApplicantContact { get; init; }

    public string? HandlingAgency { get; init; }

    public int Sets { get; init; } = 1;

    public DateTime? DueAt { get; init; }

    public DateTime? ReturnedAt { get; init; }

    public string? ResultDelivery { get; init; }

    public string? Note { get; init; }
}

/// <summary>The register over a date range (Vietnam dates, both included).</summary>
internal sealed record RegisterData(SlipAgency Agency, DateOnly From, DateOnly To, IReadOnlyList<RegisterRow> Rows)
{
    public string? Book { get; init; }

    public DateOnly? IssuedOn { get; init; }
}
