namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>A dossier as the API shows it to its owner.</summary>
internal sealed record DossierView(
    Guid Id,
    string? Code,
    string Status,
    string StatusLabel,
    string ProcedureCode,
    string AgencyCode,
    ApplicantView Applicant,
    string? Delivery,
    string? DeliveryAddress,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? SubmittedAt,
    IReadOnlyList<DossierFileView> Files,
    IReadOnlyList<DossierEventView> Timeline)
{
    public static DossierView Of(Dossier d, string procedureCode, string agencyCode) => new(
        d.Id,
        d.Code,
        DossierStatuses.Code(d.Status),
        DossierStatuses.Label(d.Status),
        procedureCode,
        agencyCode,
        new ApplicantView(d.Applicant.FullName, d.Applicant.IdentityNumber, d.Applicant.BirthDate, d.Applicant.Phone, d.Applicant.Email, d.Applicant.Address, d.Applicant.OnBehalf, d.Applicant.AgentName),
        DeliveryCode(d.Delivery),
        d.DeliveryAddress,
        d.CreatedAt,
        d.UpdatedAt,
        d.SubmittedAt,
        [.. d.Files.Select(f => new DossierFileView(f.Id, f.ComponentId, f.FileName, f.ContentType, f.Size))],
        [.. d.Events.OrderBy(e => e.At).Select(e => new DossierEventView(e.At, DossierStatuses.Code(e.Status), e.Note))])
    {
        ReceivedAt = d.ReceivedAt,
        DueAt = d.DueAt,
        FeeAmount = d.FeeAmount,
        FeeDetails = d.FeeDetails,
        Missing = d.Status == DossierStatus.SupplementRequested ? d.Actions.Where(a => a.Action == WorkflowAction.RequestSupplement).OrderBy(a => a.At).LastOrDefault()?.Missing : null,
    };

    /// <summary>When the agency received it; the clock runs from then.</summary>
    public DateTime? ReceivedAt { get; init; }

    /// <summary>Ngày hẹn trả kết quả.</summary>
    public DateTime? DueAt { get; init; }

    /// <summary>Working time left, in Vietnamese ("còn 2 ngày 3 giờ làm việc", "quá hạn …"); null when no clock runs.</summary>
    public string? RemainingWorkingTime { get; init; }

    /// <summary>Phí, lệ phí owed in VND, worked out when sent; null before, or when the procedure has no fee schedule.</summary>
    public long? FeeAmount { get; init; }

    /// <summary>How <see cref="FeeAmount"/> was reached, one line per item.</summary>
    public string? FeeDetails { get; init; }

    /// <summary>While a supplement is asked for: what to add.</summary>
    public IReadOnlyList<string>? Missing { get; init; }

    public static string? DeliveryCode(DeliveryMethod? method) => method switch
    {
        DeliveryMethod.AtDesk => "at_desk",
        DeliveryMethod.Post => "post",
        DeliveryMethod.Online => "online",
        _ => null,
    };

    public static DeliveryMethod? ParseDelivery(string? code) => code switch
    {
        "at_desk" => DeliveryMethod.AtDesk,
        "post" => DeliveryMethod.Post,
        "online" => DeliveryMethod.Online,
        _ => null,
    };
}

internal sealed record ApplicantView(string FullName, string? IdentityNumber, DateOnly? BirthDate, string? Phone, string? Email, string? Address, bool OnBehalf, string? AgentName);

internal sealed record DossierFileView(Guid Id, int ComponentId, string FileName, string ContentType, long Size);

internal sealed record DossierEventView(DateTime At, string Status, string? Note);
