using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>What an officer (or, for <see cref="Resubmit"/>, the applicant) does to a dossier; the API's codes are in <see cref="WorkflowActions"/>.</summary>
internal enum WorkflowAction
{
    Receive = 1,
    RequestSupplement = 2,
    Refuse = 3,
    Forward = 4,
    SendBack = 5,
    Approve = 6,
    AttachResult = 7,
    ResultReady = 8,
    HandBack = 9,
    Reschedule = 10,
    Stop = 11,

    /// <summary>The applicant sends the supplement asked for (not a transition of the process).</summary>
    Resubmit = 20,

    /// <summary>Giving the dossier to a named officer (not a transition of the process).</summary>
    Assign = 21,
}

internal static class WorkflowActions
{
    public static readonly WorkflowAction[] OfOfficers =
    [
        WorkflowAction.Receive, WorkflowAction.RequestSupplement, WorkflowAction.Refuse, WorkflowAction.Forward, WorkflowAction.SendBack,
        WorkflowAction.Approve, WorkflowAction.AttachResult, WorkflowAction.ResultReady, WorkflowAction.HandBack, WorkflowAction.Reschedule, WorkflowAction.Stop,
    ];

    public static string Code(WorkflowAction action) => action switch
    {
        WorkflowAction.Receive => "receive",
        WorkflowAction.RequestSupplement => "request-supplement",
        WorkflowAction.Refuse => "refuse",
        WorkflowAction.Forward => "forward",
        WorkflowAction.SendBack => "send-back",
        WorkflowAction.Approve => "approve",
        WorkflowAction.AttachResult => "attach-result",
        WorkflowAction.ResultReady => "result-ready",
        WorkflowAction.HandBack => "hand-back",
        WorkflowAction.Reschedule => "reschedule",
        WorkflowAction.Stop => "stop",
        WorkflowAction.Resubmit => "resubmit",
        _ => "assign",
    };

    public static WorkflowAction? Parse(string? code) => OfOfficers.Cast<WorkflowAction?>().FirstOrDefault(a => Code(a!.Value) == code);

    public static string Label(WorkflowAction action) => action switch
    {
        WorkflowAction.Receive => "Tiếp nhận",
        WorkflowAction.RequestSupplement => "Yêu cầu bổ sung",
        WorkflowAction.Refuse => "Từ chối",
        WorkflowAction.Forward => "Chuyển bước tiếp",
        WorkflowAction.SendBack => "Trả lại bước trước",
        WorkflowAction.Approve => "Phê duyệt",
        WorkflowAction.AttachResult => "Đính kèm kết quả",
        WorkflowAction.ResultReady => "Báo có kết quả",
        WorkflowAction.HandBack => "Trả kết quả",
        WorkflowAction.Reschedule => "Xin lỗi và hẹn lại ngày trả",
        WorkflowAction.Stop => "Dừng giải quyết",
        WorkflowAction.Resubmit => "Công dân gửi bổ sung",
        _ => "Phân công",
    };
}

/// <summary>The official slip an action issues (TT 03/2025/TT-VPCP Phụ lục I); the PDF is rendered from the action's data.</summary>
internal enum IssuedSlip
{
    None = 0,
    Receipt = 1,
    SupplementRequest = 2,
    Refusal = 3,
    Apology = 4,
    StopNotice = 5,
}

/// <summary>SPEC §4: trước hạn, đúng hạn, trễ hạn.</summary>
internal enum DossierTimeliness
{
    Early = 0,
    OnTime = 1,
    Late = 2,
}

internal enum DossierFileKind
{
    Application = 0,
    Supplement = 1,
    Result = 2,
    ActionAttachment = 3,
}

internal static class DossierTimelinessLabels
{
    public static string Label(DossierTimeliness? t) => t switch
    {
        DossierTimeliness.Early => "Trước hạn",
        DossierTimeliness.OnTime => "Đúng hạn",
        DossierTimeliness.Late => "Trễ hạn",
        _ => "—",
    };
}

/// <summary>Người nhận kết quả: the applicant in person, or someone with their written authorisation (giấy ủy quyền).</summary>
internal enum ReceiverRelation
{
    Applicant = 1,
    Authorised = 2,
}

/// <summary>Who took the result at the desk: a name always, the CCCD when shown; kept with the hand-back action.</summary>
internal sealed record ResultReceiver(string Name, string? IdentityNumber, ReceiverRelation Relation)
{
    public string Label => Name + (IdentityNumber is null ? "" : " · CCCD " + IdentityNumber) + (Relation == ReceiverRelation.Authorised ? " (người được ủy quyền)" : " (người nộp hồ sơ)");
}

/// <summary>An action not allowed in the dossier's state; the message says why, in Vietnamese.</summary>
internal sealed class DossierStateException(string message) : InvalidOperationException(message);

/// <summary>A step of the dossier's process to move to, with the instant its working time runs out.</summary>
internal readonly record struct StepTarget(string Code, string Role, DateTime DueAt);

/// <summary>
/// One recorded action (the lines of the Phiếu kiểm soát quá trình giải quyết): who, when, from which step to
/// which, the note, whether it was on time for the step, and the slip it issued with the data the slip needs.
/// </summary>
internal sealed class DossierAction
{
    public long Id { get; private set; }

    public Guid DossierId { get; private set; }

    public WorkflowAction Action { get; init; }

    public string? FromStep { get; init; }

    public string? ToStep { get; init; }

    public Guid ActorId { get; init; }

    public DateTime At { get; init; }

    public string? Note { get; init; }

    /// <summary>When the step it was taken at was due, and how the action stood against it.</summary>
    public DateTime? StepDueAt { get; init; }

    public DossierTimeliness? Timeliness { get; set; }

    public IssuedSlip Slip { get; init; }

    /// <summary>Mẫu 02: what the applicant has to add, one item per line (JSON array).</summary>
    public string? MissingJson { get; init; }

    /// <summary>Mẫu 03 and 05: the reason; Mẫu 04: why it is late.</summary>
    public string? Reason { get; init; }

    /// <summary>Mẫu 01: the appointment; Mẫu 04: the new appointment.</summary>
    public DateTime? DueAt { get; init; }

    /// <summary>The officer given the dossier, for <see cref="WorkflowAction.Assign"/>.</summary>
    public Guid? AssigneeId { get; init; }

    /// <summary>Trả kết quả tại Bộ phận Một cửa: who took the result, recorded on the hand-back.</summary>
    public ResultReceiver? ReceivedBy { get; set; }

    /// <summary>Files attached with this action (the result, a scan of a signed slip).</summary>
    public List<DossierFile> Files { get; private set; } = [];

    public IReadOnlyList<string> Missing => MissingJson is null ? [] : JsonSerializer.Deserialize<List<string>>(MissingJson) ?? [];
}

internal sealed partial class Dossier
{
    /// <summary>The process version the dossier follows for life (set when an officer first acts on it).</summary>
    public Guid? ProcessId { get; private set; }

    /// <summary>The code of the step it is at; null before reception (the process's first step).</summary>
    public string? CurrentStep { get; private set; }

    /// <summary>The role that holds the current step, so an inbox finds "waiting for my role" in one query.</summary>
    public string? CurrentRole { get; private set; }

    public Guid? AssignedToId { get; private set; }

    public DateTime? ReceivedAt { get; private set; }

    /// <summary>Ngày hẹn trả: moves with a supplement's paused working time and once with an apology.</summary>
    public DateTime? DueAt { get; private set; }

    public DateTime? StepDueAt { get; private set; }

    /// <summary>Set while a supplement is awaited after reception: the clock stands still.</summary>
    public DateTime? ClockPausedAt { get; private set; }

    /// <summary>True once the apology with a new date (Mẫu 04) was issued; it is allowed once.</summary>
    public bool Extended { get; private set; }

    public DateTime? ResultAt { get; private set; }

    /// <summary>Set while the result is with the postal service (gửi qua bưu chính): no second hand-back until it is delivered or returned.</summary>
    public DateTime? PostedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    public DossierTimeliness? Timeliness { get; private set; }

    /// <summary>When the deadline watcher found it overdue and told the officers.</summary>
    public DateTime? OverdueAt { get; private set; }

    /// <summary>The Vietnam-time day the officers were last told it is due within a working day.</summary>
    public DateOnly? DueSoonWarnedOn { get; private set; }

    /// <summary>Grows with each officer action: two officers acting at once on one version, the second save fails.</summary>
    public int Revision { get; private set; }

    public List<DossierAction> Actions { get; private set; } = [];

    public static readonly DossierStatus[] Active = [DossierStatus.Received, DossierStatus.Processing, DossierStatus.ResultReady];

    /// <summary>Why the dossier's status does not allow the action now; null when it does. Steps and roles are the process's business.</summary>
    public string? WhyNot(WorkflowAction action)
    {
        var label = DossierStatuses.Label(Status);
        bool ok = action switch
        {
            WorkflowAction.Receive => Status == DossierStatus.Submitted,
            WorkflowAction.RequestSupplement => Status is DossierStatus.Submitted or DossierStatus.Received or DossierStatus.Processing,
            WorkflowAction.Refuse => Status is DossierStatus.Submitted or DossierStatus.Received or DossierStatus.Processing,
            WorkflowAction.Forward or WorkflowAction.SendBack or WorkflowAction.Approve or WorkflowAction.AttachResult => Status is DossierStatus.Received or DossierStatus.Processing,
            WorkflowAction.ResultReady => Status is DossierStatus.Received or DossierStatus.Processing,
            WorkflowAction.HandBack => Status == DossierStatus.ResultReady,
            WorkflowAction.Reschedule => Status is DossierStatus.Received or DossierStatus.Processing or DossierStatus.ResultReady,
            WorkflowAction.Stop => Status is DossierStatus.Received or DossierStatus.Processing or DossierStatus.SupplementRequested or DossierStatus.AwaitingPayment,
            WorkflowAction.Resubmit => Status == DossierStatus.SupplementRequested,
            WorkflowAction.Assign => Status is DossierStatus.Submitted or DossierStatus.Received or DossierStatus.Processing or DossierStatus.ResultReady or DossierStatus.SupplementRequested or DossierStatus.AwaitingPayment,
            _ => false,
        };
        if (!ok)
        {
            return $"Hồ sơ đang ở trạng thái “{label}”, không thể {WorkflowActions.Label(action).ToLowerInvariant()}.";
        }

        if (action == WorkflowAction.ResultReady && ResultAt is null)
        {
            return "Hồ sơ chưa có kết quả: hãy đính kèm kết quả trước khi báo có kết quả.";
        }

        if (action == WorkflowAction.HandBack && PostedAt is not null)
        {
            return "Kết quả đang gửi qua bưu chính: hồ sơ hoàn thành khi bưu điện báo đã giao, hoặc trả lại được khi bưu gửi bị chuyển hoàn.";
        }

        if (action == WorkflowAction.Reschedule && Extended)
        {
            return "Hồ sơ đã được xin lỗi và hẹn lại ngày trả một lần; không gia hạn thêm được.";
        }

        return null;
    }

    /// <summary>Tiếp nhận: the clock starts; Mẫu 01 carries the appointment date.</summary>
    public DossierAction Receive(Guid processId, string fromStep, StepTarget next, DateTime dueAt, Guid actor, DateTime now, string? note)
    {
        Ensure(WorkflowAction.Receive);
        ProcessId ??= processId;
        ReceivedAt = now;
        DueAt = dueAt;
        var action = Record(WorkflowAction.Receive, fromStep, next, actor, now, note, IssuedSlip.Receipt, dueAt: dueAt);
        Status = DossierStatus.Received;
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = $"Đã tiếp nhận hồ sơ; ngày hẹn trả kết quả {Common.Web.Formats.DateTime(dueAt)}" });
        return action;
    }

    /// <summary>Mẫu 02: the applicant is told exactly what to add; after reception the clock stops until they send it.</summary>
    public DossierAction RequestSupplement(Guid processId, string fromStep, IReadOnlyList<string> missing, bool stopsClock, Guid actor, DateTime now, string? note)
    {
        Ensure(WorkflowAction.RequestSupplement);
        ProcessId ??= processId;
        if (stopsClock && ReceivedAt is not null)
        {
            ClockPausedAt = now;
        }

        var action = Record(WorkflowAction.RequestSupplement, fromStep, null, actor, now, note, IssuedSlip.SupplementRequest, missing: missing);
        Status = DossierStatus.SupplementRequested;
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = Clip("Cần bổ sung: " + string.Join("; ", missing)) });
        return action;
    }

    /// <summary>A supplement is sent with at least one file added for it.</summary>
    public bool HasSupplementFiles => Files.Any(f => f.Kind == DossierFileKind.Supplement);

    /// <summary>The applicant sends the supplement: back where it was, with the due dates moved by the paused working time.</summary>
    public DossierAction Resubmit(Guid owner, DateTime now, DateTime? newDueAt, DateTime? newStepDueAt)
    {
        Ensure(WorkflowAction.Resubmit);
        if (ClockPausedAt is not null)
        {
            DueAt = newDueAt ?? DueAt;
            StepDueAt = newStepDueAt ?? StepDueAt;
            ClockPausedAt = null;
        }

        var action = Record(WorkflowAction.Resubmit, CurrentStep, null, owner, now, null, IssuedSlip.None, dueAt: DueAt);
        Status = ReceivedAt is null ? DossierStatus.Submitted : DossierStatus.Processing;
        Events.Add(new DossierEvent { At = now, Status = Status, Note = "Công dân đã gửi bổ sung hồ sơ" + (DueAt is { } due && ReceivedAt is not null ? $"; ngày hẹn trả {Common.Web.Formats.DateTime(due)}" : string.Empty) });
        return action;
    }

    /// <summary>Mẫu 03: refused, with the reason; a refused dossier is counted apart from the timely ones.</summary>
    public DossierAction Refuse(Guid processId, string fromStep, string reason, Guid actor, DateTime now, string? note)
    {
        Ensure(WorkflowAction.Refuse);
        ProcessId ??= processId;
        var action = Record(WorkflowAction.Refuse, fromStep, null, actor, now, note, IssuedSlip.Refusal, reason: reason);
        Status = DossierStatus.Refused;
        FinishedAt = now;
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = Clip("Từ chối: " + reason) });
        return action;
    }

    /// <summary>Forward, send back or approve: the dossier moves to another step and waits for that step's role.</summary>
    public DossierAction MoveTo(WorkflowAction kind, string fromStep, StepTarget to, string toName, Guid actor, DateTime now, string? note)
    {
        Ensure(kind);
        var action = Record(kind, fromStep, to, actor, now, note, IssuedSlip.None);
        Status = DossierStatus.Processing;
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = kind == WorkflowAction.Approve ? "Đã phê duyệt; chuyển " + toName : "Chuyển " + toName });
        return action;
    }

    public DossierAction AttachResult(string step, Guid actor, DateTime now, string? note)
    {
        Ensure(WorkflowAction.AttachResult);
        ResultAt = now;
        return Record(WorkflowAction.AttachResult, step, null, actor, now, note, IssuedSlip.None);
    }

    public DossierAction MarkResultReady(string step, Guid actor, DateTime now, string? note)
    {
        Ensure(WorkflowAction.ResultReady);
        var action = Record(WorkflowAction.ResultReady, step, null, actor, now, note, IssuedSlip.None);
        Status = DossierStatus.ResultReady;
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = "Đã có kết quả, chờ trả" });
        return action;
    }

    /// <summary>Why a hand-back at this timeliness is not allowed (late without the apology); null when it is.</summary>
    public string? WhyNotHandBack(DossierTimeliness timeliness) => timeliness == DossierTimeliness.Late && !Extended
        ? "Hồ sơ đã quá hạn: phải gửi văn bản xin lỗi và hẹn lại ngày trả (Mẫu 04) trước khi trả kết quả."
        : null;

    /// <summary>Trả kết quả. A late dossier is handed back only after the apology with a new date.</summary>
    public DossierAction HandBack(string step, DossierTimeliness timeliness, Guid actor, DateTime now, string? note, ResultReceiver? receivedBy = null)
    {
        Ensure(WorkflowAction.HandBack);
        if (WhyNotHandBack(timeliness) is { } late)
        {
            throw new DossierStateException(late);
        }

        var action = Record(WorkflowAction.HandBack, step, null, actor, now, note, IssuedSlip.None);
        action.ReceivedBy = receivedBy;
        Status = DossierStatus.Completed;
        FinishedAt = now;
        Timeliness = timeliness;
        CurrentRole = null;
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = "Đã trả kết quả (" + DossierTimelinessLabels.Label(timeliness).ToLowerInvariant() + ")" });
        return action;
    }

    /// <summary>
    /// Gửi kết quả qua bưu chính: the result leaves with the carrier under a tracking number; the dossier stays
    /// "Có kết quả" until the carrier reports it delivered (<see cref="DeliveredByPost"/>) or returned.
    /// </summary>
    public DossierAction SendByPost(string step, string trackingNumber, Guid actor, DateTime now, string? note)
    {
        Ensure(WorkflowAction.HandBack);
        var action = Record(WorkflowAction.HandBack, step, null, actor, now, note, IssuedSlip.None);
        PostedAt = now;
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = $"Đang gửi kết quả qua bưu chính, số hiệu bưu gửi {trackingNumber}" });
        return action;
    }

    /// <summary>The carrier delivered the result: the hand-back, at the delivery time, by the officer who posted it.</summary>
    public DossierAction DeliveredByPost(string trackingNumber, DossierTimeliness timeliness, Guid postedBy, DateTime at)
    {
        PostedAt = null;
        return HandBack(CurrentStep ?? string.Empty, timeliness, postedBy, at, $"Bưu chính đã giao kết quả (số hiệu {trackingNumber})");
    }

    /// <summary>The carrier brought the result back (chuyển hoàn): the officers hand it back again, at the desk or by a new shipment.</summary>
    public void ReturnedByPost(string trackingNumber, string? reason, DateTime at)
    {
        PostedAt = null;
        UpdatedAt = at;
        Revision++;
        Events.Add(new DossierEvent { At = at, Status = Status, Note = Clip($"Bưu gửi {trackingNumber} bị chuyển hoàn về cơ quan" + (string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason)) });
    }

    /// <summary>Mẫu 04: an apology with a new appointment, once per dossier.</summary>
    public DossierAction Reschedule(string step, DateTime newDueAt, string reason, Guid actor, DateTime now, string? note)
    {
        Ensure(WorkflowAction.Reschedule);
        if (DueAt is { } due && newDueAt <= due)
        {
            throw new DossierStateException($"Ngày hẹn mới phải sau ngày hẹn hiện tại ({Common.Web.Formats.DateTime(due)}).");
        }

        Extended = true;
        DueAt = newDueAt;
        OverdueAt = null;
        var action = Record(WorkflowAction.Reschedule, step, null, actor, now, note, IssuedSlip.Apology, reason: reason, dueAt: newDueAt);
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = Clip($"Cơ quan xin lỗi vì chậm trả kết quả; ngày hẹn trả mới {Common.Web.Formats.DateTime(newDueAt)}. Lý do: {reason}") });
        return action;
    }

    /// <summary>Mẫu 05: processing stops, with the reason (e.g. the supplement never came).</summary>
    public DossierAction Stop(string step, string reason, Guid actor, DateTime now, string? note)
    {
        Ensure(WorkflowAction.Stop);
        var action = Record(WorkflowAction.Stop, step, null, actor, now, note, IssuedSlip.StopNotice, reason: reason);
        Status = DossierStatus.Stopped;
        FinishedAt = now;
        ClockPausedAt = null;
        CurrentRole = null;
        Events.Add(new DossierEvent { At = now, Status = Status, ActorId = actor, Note = Clip("Dừng giải quyết: " + reason) });
        return action;
    }

    public DossierAction AssignTo(Guid officer, Guid by, DateTime now)
    {
        Ensure(WorkflowAction.Assign);
        AssignedToId = officer;
        Revision++;
        var action = new DossierAction { Action = WorkflowAction.Assign, FromStep = CurrentStep, ToStep = CurrentStep, ActorId = by, At = now, AssigneeId = officer, StepDueAt = StepDueAt };
        Actions.Add(action);
        return action;
    }

    /// <summary>A timeline line fits its column (1000); the full text stays on the action.</summary>
    private static string Clip(string text) => text.Length <= 1000 ? text : text[..999] + "…";

    private void Ensure(WorkflowAction action)
    {
        if (WhyNot(action) is { } why)
        {
            throw new DossierStateException(why);
        }
    }

    private DossierAction Record(WorkflowAction kind, string? from, StepTarget? to, Guid actor, DateTime now, string? note, IssuedSlip slip,
        IReadOnlyList<string>? missing = null, string? reason = null, DateTime? dueAt = null)
    {
        var action = new DossierAction
        {
            Action = kind, FromStep = from, ToStep = to?.Code ?? from, ActorId = actor, At = now, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            StepDueAt = StepDueAt, Slip = slip, MissingJson = missing is null ? null : JsonSerializer.Serialize(missing), Reason = reason, DueAt = dueAt,
        };
        Actions.Add(action);
        if (to is { } target)
        {
            CurrentStep = target.Code;
            CurrentRole = target.Role;
            StepDueAt = target.DueAt;
            // The next step's people pick it up (or their leader assigns it); the one who acted no longer holds it.
            AssignedToId = null;
        }
        else if (from is not null)
        {
            CurrentStep ??= from;
        }

        UpdatedAt = now;
        Revision++;
        return action;
    }

    /// <summary>Set by the deadline watcher through a conditional update; kept here so the rule has one name.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Dossier, bool>> Running =
        d => (d.Status == DossierStatus.Received || d.Status == DossierStatus.Processing || d.Status == DossierStatus.ResultReady) && d.DueAt != null && d.ClockPausedAt == null;
}

internal sealed class DossierProcessingMapping : IEntityTypeConfiguration<Dossier>
{
    public void Configure(EntityTypeBuilder<Dossier> e)
    {
        e.Property(x => x.CurrentStep).HasMaxLength(50);
        e.Property(x => x.CurrentRole).HasMaxLength(50);
        e.Property(x => x.Timeliness).HasConversion<int?>();
        e.Property(x => x.Revision).IsConcurrencyToken();
        e.HasIndex(x => new { x.AgencyId, x.Status, x.DueAt });
        e.HasIndex(x => x.AssignedToId);
        e.HasMany(x => x.Actions).WithOne().HasForeignKey(x => x.DossierId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DossierActionMapping : IEntityTypeConfiguration<DossierAction>
{
    public void Configure(EntityTypeBuilder<DossierAction> e)
    {
        e.ToTable("DossierActions");
        e.HasIndex(x => new { x.DossierId, x.At });
        e.Property(x => x.Action).HasConversion<int>();
        e.Property(x => x.Slip).HasConversion<int>();
        e.Property(x => x.Timeliness).HasConversion<int?>();
        e.Property(x => x.FromStep).HasMaxLength(50);
        e.Property(x => x.ToStep).HasMaxLength(50);
        e.Property(x => x.Note).HasMaxLength(2000);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.MissingJson).HasMaxLength(4000);
        e.OwnsOne(x => x.ReceivedBy, r =>
        {
            r.Property(p => p.Name).HasMaxLength(200).HasColumnName("ReceivedByName");
            r.Property(p => p.IdentityNumber).HasMaxLength(12).HasColumnName("ReceivedByIdentityNumber");
            r.Property(p => p.Relation).HasConversion<int>().HasColumnName("ReceivedByRelation");
            r.Ignore(p => p.Label);
        });
        e.Ignore(x => x.Missing);
        e.HasMany(x => x.Files).WithOne().HasForeignKey(x => x.ActionId).OnDelete(DeleteBehavior.SetNull);
    }
}
