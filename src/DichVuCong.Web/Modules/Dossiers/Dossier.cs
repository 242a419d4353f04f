using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>The statuses a citizen sees (SPEC §4); stored as their code.</summary>
internal enum DossierStatus
{
    Draft = 0,
    Submitted = 1,
    SupplementRequested = 2,
    Received = 3,
    Processing = 4,
    AwaitingPayment = 5,
    ResultReady = 6,
    Completed = 7,
    Refused = 8,
    Stopped = 9,
    Withdrawn = 10,
}

internal static class DossierStatuses
{
    public static readonly DossierStatus[] All = Enum.GetValues<DossierStatus>();

    public static string Code(DossierStatus status) => status switch
    {
        DossierStatus.Draft => "draft",
        DossierStatus.Submitted => "submitted",
        DossierStatus.SupplementRequested => "supplement_requested",
        DossierStatus.Received => "received",
        DossierStatus.Processing => "processing",
        DossierStatus.AwaitingPayment => "awaiting_payment",
        DossierStatus.ResultReady => "result_ready",
        DossierStatus.Completed => "completed",
        DossierStatus.Refused => "refused",
        DossierStatus.Stopped => "stopped",
        _ => "withdrawn",
    };

    public static DossierStatus? Parse(string? code) => All.Cast<DossierStatus?>().FirstOrDefault(s => Code(s!.Value) == code);

    public static string Label(DossierStatus status) => status switch
    {
        DossierStatus.Draft => "Hồ sơ nháp",
        DossierStatus.Submitted => "Mới nộp, chờ tiếp nhận",
        DossierStatus.SupplementRequested => "Yêu cầu bổ sung",
        DossierStatus.Received => "Đã tiếp nhận",
        DossierStatus.Processing => "Đang xử lý",
        DossierStatus.AwaitingPayment => "Chờ thanh toán",
        DossierStatus.ResultReady => "Có kết quả, chờ trả",
        DossierStatus.Completed => "Đã trả kết quả",
        DossierStatus.Refused => "Từ chối",
        DossierStatus.Stopped => "Dừng giải quyết",
        _ => "Công dân rút hồ sơ",
    };
}

internal enum DeliveryMethod
{
    /// <summary>Nhận tại Bộ phận Một cửa.</summary>
    AtDesk = 1,

    /// <summary>Qua dịch vụ bưu chính công ích, to <see cref="Dossier.DeliveryAddress"/>.</summary>
    Post = 2,

    /// <summary>Nhận trực tuyến (bản điện tử trong tài khoản).</summary>
    Online = 3,
}

/// <summary>Who the dossier is for; pre-filled from the account with consent, or someone the submitter acts for.</summary>
internal sealed class Applicant
{
    public string FullName { get; set; } = string.Empty;

    /// <summary>CCCD of a person, or the tax code of an organisation. Never logged.</summary>
    public string? IdentityNumber { get; set; }

    public DateOnly? BirthDate { get; set; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? Address { get; set; }

    /// <summary>True when the submitter acts on behalf of the applicant (người được ủy quyền).</summary>
    public bool OnBehalf { get; set; }

    /// <summary>The authorised submitter's name when <see cref="OnBehalf"/>.</summary>
    public string? AgentName { get; set; }

    public string? AgentIdentityNumber { get; set; }
}

/// <summary>
/// A dossier (hồ sơ) for one procedure at one receiving agency. A draft belongs to its owner alone; once
/// submitted it carries its code (SPEC §4) and moves through statuses only by the methods below.
/// </summary>
internal sealed partial class Dossier
{
    public Guid Id { get; private set; } = Guid.NewGuid();

    /// <summary><c>&lt;agency code&gt;-&lt;YYMMDD&gt;-&lt;XXXX&gt;</c>; null while a draft.</summary>
    public string? Code { get; private set; }

    public int ProcedureId { get; private set; }

    public int AgencyId { get; private set; }

    public Guid OwnerId { get; private set; }

    public DossierStatus Status { get; private set; }

    public Applicant Applicant { get; private set; } = new();

    /// <summary>The e-form's values as a JSON object keyed by field name.</summary>
    public string EFormJson { get; set; } = "{}";

    public DeliveryMethod? Delivery { get; set; }

    /// <summary>Phí, lệ phí owed for this dossier in VND (0 = free), worked out when it is sent; null before, or when the procedure has no fee schedule.</summary>
    public long? FeeAmount { get; private set; }

    /// <summary>How <see cref="FeeAmount"/> was reached, one line per item in the citizen's words, for the dossier page and the receipt.</summary>
    public string? FeeDetails { get; private set; }

    public string? DeliveryAddress { get; set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? SubmittedAt { get; private set; }

    /// <summary>The client's Idempotency-Key of the submission, so a repeated submit answers with the same dossier.</summary>
    public string? SubmitKey { get; private set; }

    /// <summary>When the owner was warned that this draft is about to expire; a change after it (see <see cref="Touch"/>) calls for a new warning.</summary>
    public DateTime? DraftWarnedAt { get; private set; }

    public List<DossierFile> Files { get; private set; } = [];

    public List<DossierEvent> Events { get; private set; } = [];

    public static Dossier StartDraft(Guid ownerId, int procedureId, int agencyId, DateTime now, Guid? id = null)
    {
        var dossier = new Dossier { Id = id ?? Guid.NewGuid(), OwnerId = ownerId, ProcedureId = procedureId, AgencyId = agencyId, Status = DossierStatus.Draft, CreatedAt = now, UpdatedAt = now };
        dossier.Events.Add(new DossierEvent { At = now, Status = DossierStatus.Draft, Note = "Tạo hồ sơ nháp" });
        return dossier;
    }

    public bool IsDraft => Status == DossierStatus.Draft;

    /// <summary>The owner may attach files: to a draft, or while a supplement is asked for (kept apart as the supplement).</summary>
    public bool TakesFiles => IsDraft || Status == DossierStatus.SupplementRequested;

    /// <summary>
    /// The id of the draft one start form makes: the same owner and form key always give the same id, so posting the
    /// form twice finds the first draft instead of making a second. Derived from the owner too, so a key copied from
    /// someone else's page can never name their dossier.
    /// </summary>
    public static Guid IdFor(Guid ownerId, Guid startKey)
    {
        Span<byte> input = stackalloc byte[32];
        ownerId.TryWriteBytes(input[..16]);
        startKey.TryWriteBytes(input[16..]);
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(input, hash);
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80); // version 8 (custom), little-endian field layout
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16]);
    }

    public void SetFee(long amount, string details)
    {
        FeeAmount = amount;
        FeeDetails = details.Length > 1000 ? details[..1000] : details;
    }

    public void SetApplicant(Applicant applicant)
    {
        EnsureDraft();
        Applicant = applicant;
    }

    /// <summary>How the result is to be received, as the wizard and the API set it: an address is kept only for the post.</summary>
    public void SetDelivery(DeliveryMethod? method, string? address)
    {
        EnsureDraft();
        Delivery = method;
        DeliveryAddress = method == DeliveryMethod.Post ? address?.Trim() : null;
    }

    /// <summary>A draft records each save, so drafts expire 30 days after their last change.</summary>
    public void Touch(DateTime now)
    {
        EnsureDraft();
        UpdatedAt = now;
    }

    /// <summary>
    /// Drafts not warned since their last change: never warned, or changed again after the warning. The mark is
    /// set by ExpireDrafts/DraftExpiry with a conditional update (the claim), not on a loaded entity, so an owner's
    /// save racing the warning never fails.
    /// </summary>
    public static readonly Expression<Func<Dossier, bool>> UnwarnedDraft =
        d => d.Status == DossierStatus.Draft && (d.DraftWarnedAt == null || d.DraftWarnedAt < d.UpdatedAt);

    public void Submit(string code, string? submitKey, DateTime now)
    {
        EnsureDraft();
        Code = code;
        SubmitKey = submitKey;
        Status = DossierStatus.Submitted;
        SubmittedAt = now;
        UpdatedAt = now;
        Events.Add(new DossierEvent { At = now, Status = DossierStatus.Submitted, Note = "Nộp hồ sơ trực tuyến" });
    }

    /// <summary>Rút hồ sơ: only before the agency has received it (a supplement may be asked for before or after).</summary>
    public bool CanWithdraw => Status == DossierStatus.Submitted || (Status == DossierStatus.SupplementRequested && ReceivedAt is null);

    public void Withdraw(DateTime now, string? reason)
    {
        if (!CanWithdraw)
        {
            throw new InvalidOperationException($"A dossier in status {Status} cannot be withdrawn.");
        }

        Status = DossierStatus.Withdrawn;
        UpdatedAt = now;
        Events.Add(new DossierEvent { At = now, Status = DossierStatus.Withdrawn, Note = string.IsNullOrWhiteSpace(reason) ? "Công dân rút hồ sơ" : "Công dân rút hồ sơ: " + reason.Trim() });
    }

    private void EnsureDraft()
    {
        if (!IsDraft)
        {
            throw new InvalidOperationException("Only a draft can be changed by its owner.");
        }
    }
}

/// <summary>A file attached to a dossier for one document component; the bytes live in the file store.</summary>
internal sealed class DossierFile
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public Guid DossierId { get; init; }

    /// <summary>The procedure's document component (thành phần hồ sơ) this file is for.</summary>
    public int ComponentId { get; init; }

    /// <summary>The name shown to people, cleaned of any path; never used to store the file.</summary>
    public required string FileName { get; init; }

    /// <summary>Where the file store keeps the bytes; made by the portal, never from user input.</summary>
    public required string StoragePath { get; init; }

    /// <summary>The type found by reading the content (PDF, JPEG, PNG, DOCX), not the name.</summary>
    public required string ContentType { get; init; }

    public long Size { get; init; }

    /// <summary>Hex SHA-256 of the bytes.</summary>
    public required string Sha256 { get; init; }

    public DateTime UploadedAt { get; init; }

    /// <summary>Filed with the dossier, added in a supplement, the result, or attached by an officer to an action.</summary>
    public DossierFileKind Kind { get; init; }

    /// <summary>The officer's action this file came with, if any.</summary>
    public long? ActionId { get; init; }
}

/// <summary>One line of a dossier's timeline.</summary>
internal sealed class DossierEvent
{
    public long Id { get; private set; }

    public Guid DossierId { get; private set; }

    public DateTime At { get; init; }

    public DossierStatus Status { get; init; }

    /// <summary>Who acted when it was not the owner (an officer); null for the citizen.</summary>
    public Guid? ActorId { get; init; }

    /// <summary>What the citizen reads, in Vietnamese.</summary>
    public string? Note { get; init; }
}

/// <summary>The last sequence number given for a receiving agency on a Vietnam-time day.</summary>
internal sealed class DossierCodeCounter
{
    public int AgencyId { get; set; }

    public DateOnly Day { get; set; }

    public int Last { get; set; }
}

internal sealed class DossierMapping : IEntityTypeConfiguration<Dossier>
{
    public void Configure(EntityTypeBuilder<Dossier> e)
    {
        e.ToTable("Dossiers");
        e.Property(x => x.Code).HasMaxLength(64);
        e.HasIndex(x => x.Code).IsUnique();
        e.HasIndex(x => new { x.OwnerId, x.Status, x.UpdatedAt });
        e.HasIndex(x => new { x.AgencyId, x.Status });
        e.HasIndex(x => new { x.OwnerId, x.SubmitKey }).IsUnique();
        e.HasIndex(x => new { x.Status, x.UpdatedAt });
        // Two submissions of one draft at once: the second one's update finds the status changed and fails.
        e.Property(x => x.Status).HasConversion<int>().IsConcurrencyToken();
        e.Property(x => x.Delivery).HasConversion<int?>();
        e.Property(x => x.DeliveryAddress).HasMaxLength(300);
        e.Property(x => x.SubmitKey).HasMaxLength(100);
        e.Property(x => x.FeeDetails).HasMaxLength(1000);
        e.OwnsOne(x => x.Applicant, a =>
        {
            a.Property(p => p.FullName).HasMaxLength(200);
            a.Property(p => p.IdentityNumber).HasMaxLength(14);
            // The public lookup by CCCD/CMND finds a person's dossiers by it.
            a.HasIndex(p => p.IdentityNumber);
            a.Property(p => p.Phone).HasMaxLength(15);
            a.Property(p => p.Email).HasMaxLength(254);
            a.Property(p => p.Address).HasMaxLength(300);
            a.Property(p => p.AgentName).HasMaxLength(200);
            a.Property(p => p.AgentIdentityNumber).HasMaxLength(14);
        });
        e.HasOne<Catalog.Procedure>().WithMany().HasForeignKey(x => x.ProcedureId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Catalog.Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Files).WithOne().HasForeignKey(x => x.DossierId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.DossierId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DossierFileMapping : IEntityTypeConfiguration<DossierFile>
{
    public void Configure(EntityTypeBuilder<DossierFile> e)
    {
        e.ToTable("DossierFiles");
        e.HasIndex(x => new { x.DossierId, x.ComponentId });
        e.Property(x => x.FileName).HasMaxLength(255);
        e.Property(x => x.StoragePath).HasMaxLength(300);
        e.Property(x => x.ContentType).HasMaxLength(100);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.Property(x => x.Kind).HasConversion<int>();
    }
}

internal sealed class DossierEventMapping : IEntityTypeConfiguration<DossierEvent>
{
    public void Configure(EntityTypeBuilder<DossierEvent> e)
    {
        e.ToTable("DossierEvents");
        e.HasIndex(x => new { x.DossierId, x.At });
        e.Property(x => x.Status).HasConversion<int>();
        e.Property(x => x.Note).HasMaxLength(1000);
    }
}

internal sealed class DossierCodeCounterMapping : IEntityTypeConfiguration<DossierCodeCounter>
{
    public void Configure(EntityTypeBuilder<DossierCodeCounter> e)
    {
        e.ToTable("DossierCodeCounters");
        e.HasKey(x => new { x.AgencyId, x.Day });
    }
}
