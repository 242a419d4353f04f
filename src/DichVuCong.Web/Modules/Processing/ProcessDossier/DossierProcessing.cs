using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using DichVuCong.Web.Modules.Processing.DeliverByPost;
using DichVuCong.Web.Modules.Processing.DueDates;
using DichVuCong.Web.Modules.Processing.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.ProcessDossier;

/// <summary>A file an officer sends with an action.</summary>
internal sealed record ActionFile(string FileName, Stream Content);

/// <summary>What an officer gives with an action; which parts are needed depends on the action and the process.</summary>
internal sealed record ActionInput
{
    public string? Note { get; init; }

    /// <summary>For a send-back with several earlier steps: the one to go to.</summary>
    public string? ToStep { get; init; }

    /// <summary>Mẫu 02: what is missing, one item each.</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>Mẫu 03, 04, 05.</summary>
    public string? Reason { get; init; }

    /// <summary>Mẫu 04: the new appointment day (the dossier is due at the end of its working day).</summary>
    public DateOnly? NewDueDate { get; init; }

    public IReadOnlyList<ActionFile> Files { get; init; } = [];

    /// <summary>Hand-back at the desk: who took the result (name required; CCCD checked when given).</summary>
    public ResultReceiver? ReceivedBy { get; init; }

    /// <summary>Hand-back by post of a dossier waiting for its fee: the carrier collects the fee on delivery (thu hộ, COD).</summary>
    public bool CollectOnDelivery { get; init; }
}

internal enum OutcomeKind
{
    Done,
    NotFound,
    Forbidden,
    Conflict,
    Invalid,

    /// <summary>An outside service (the postal carrier) failed; nothing changed (the API answers 502).</summary>
    Unavailable,
}

/// <summary>The answer to an action: done, or why not (the page shows it; the API maps it to 404/403/409/400).</summary>
internal sealed record ActionOutcome(OutcomeKind Kind, string? Message = null, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static readonly ActionOutcome Done = new(OutcomeKind.Done);

    public static readonly ActionOutcome NotFound = new(OutcomeKind.NotFound, "Không tìm thấy hồ sơ.");

    public static readonly ActionOutcome Raced = new(OutcomeKind.Conflict, "Hồ sơ vừa được người khác xử lý. Hãy xem lại trạng thái mới của hồ sơ.");

    public static ActionOutcome Invalid(string field, string message) => new(OutcomeKind.Invalid, message, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>A dossier an officer may see, with its process and where it stands.</summary>
internal sealed record OfficerDossier(Dossier Dossier, Process Process, ProcessStep Step, IReadOnlyList<ProcessTransition> Allowed);

/// <summary>
/// The officers' actions on a dossier, for the page and the API alike. Checks, in this order: the officer's
/// agency (else not found, so nothing is revealed), the process's step (the action must exist there, and the
/// dossier's status allow it: else a conflict saying why), the officer's role (else forbidden, naming the role
/// needed), and what the action needs (note, file, missing items, reason, date). Then the entity changes, the
/// action is recorded with its files, and the applicant is told through the outbox, in one save; two officers
/// acting on one version at once: the second save fails on the dossier's revision and is told so.
/// </summary>
internal sealed partial class DossierProcessing(
    AppDbContext db, Processes processes, WorkingCalendars calendars, IAuthorizationService authorization, IDossierFiles files, CatalogIndex catalog, NoticeTemplates notices,
    IPostalService postal, IPersonalStore personalStore, ILogger<DossierProcessing> logger, TimeProvider time)
{
    /// <summary>The dossier with its process and the actions this officer may take now; null when not theirs to see.</summary>
    public async Task<OfficerDossier?> FindAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.Include(d => d.Files).Include(d => d.Events).Include(d => d.Actions)
            .AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id && d.Status != DossierStatus.Draft, cancellationToken);
        if (dossier is null || !(await authorization.AuthorizeAsync(user, dossier.AgencyId, AgencyOperations.Process)).Succeeded)
        {
            return null;
        }

        var process = await processes.ForAsync(dossier, cancellationToken)
            ?? throw new InvalidOperationException($"No process for procedure {dossier.ProcedureId}.");
        var step = process.Step(dossier.CurrentStep) ?? process.FirstStep;
        var allowed = process.At(step.Code).Where(t => (dossier.WhyNot(t.Action) is null || PostsWithCod(dossier, t.Action)) && t.Roles.Any(user.IsInRole)).ToList();
        return new OfficerDossier(dossier, process, step, allowed);
    }

    public async Task<ActionOutcome> ActAsync(ClaimsPrincipal user, Guid id, WorkflowAction action, ActionInput input, CancellationToken cancellationToken)
    {
        var found = await FindAsync(user, id, cancellationToken);
        if (found is null || UserClaims.Id(user) is not { } actor)
        {
            return ActionOutcome.NotFound;
        }

        var (dossier, process, step, _) = found;
        var label = WorkflowActions.Label(action);
        var candidates = process.At(step.Code).Where(t => t.Action == action).ToList();
        if (candidates.Count == 0)
        {
            return new ActionOutcome(OutcomeKind.Conflict, $"Hồ sơ đang ở bước “{step.Name}”: quy trình không có thao tác “{label}” ở bước này.");
        }

        var cod = action == WorkflowAction.HandBack && input.CollectOnDelivery;
        if (cod && !dossier.CodApplies)
        {
            return new ActionOutcome(OutcomeKind.Conflict, "Không thu hộ được: chỉ thu hộ khi người nộp chọn nhận kết quả qua bưu chính và hồ sơ đang chờ thanh toán phí, lệ phí trước khi trả kết quả.");
        }

        if (!cod && PostsWithCod(dossier, action))
        {
            return new ActionOutcome(OutcomeKind.Conflict, "Hồ sơ đang chờ thanh toán phí, lệ phí: chọn “Thu hộ phí, lệ phí khi giao (COD)” để gửi kết quả qua bưu chính, hoặc chờ người nộp thanh toán.");
        }

        if (!cod && dossier.WhyNot(action) is { } why)
        {
            return new ActionOutcome(OutcomeKind.Conflict, why);
        }

        var transition = candidates.FirstOrDefault(t => input.ToStep is null || t.ToStep == input.ToStep);
        if (transition is null)
        {
            return ActionOutcome.Invalid("toStep", $"Chọn một bước: {string.Join(", ", candidates.Select(t => t.ToStep))}.");
        }

        if (!transition.Roles.Any(user.IsInRole))
        {
            var mine = string.Join(", ", Roles.All.Where(r => user.IsInRole(r.Name)).Select(r => r.Label.ToLowerInvariant()));
            var needed = string.Join(" hoặc ", transition.Roles.Select(r => RoleLabel(r).ToLowerInvariant()));
            return new ActionOutcome(OutcomeKind.Forbidden, $"Vai trò {mine} không được “{label}” ở bước “{step.Name}”; thao tác này dành cho {needed}.");
        }

        if (Check(dossier, transition, input) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var at = now.UtcDateTime;
        var calendar = await calendars.ForAgencyAsync(dossier.AgencyId, cancellationToken);
        StepTarget Target(string code)
        {
            var next = process.Step(code)!;
            return new StepTarget(next.Code, next.Role, calendar.AddWorkingTime(now, TimeSpan.FromHours((double)next.WorkingHours)).UtcDateTime);
        }

        string Named(string code) => "đến bước “" + process.Step(code)!.Name + "”";

        // By post the carrier takes the order first: if it refuses, nothing changes here (nothing is saved).
        string? tracking = null;
        if (action == WorkflowAction.HandBack && dossier.Delivery == DeliveryMethod.Post)
        {
            var codAmount = cod ? dossier.FeeAmount!.Value : 0;
            if (cod)
            {
                var (resumedDue, resumedStepDue) = DossierClock.Resumed(dossier, calendar, now);
                dossier.CollectOnDelivery(at, resumedDue, resumedStepDue);
            }

            if (dossier.WhyNotHandBack(TimelinessAt(dossier, at)) is { } late)
            {
                return new ActionOutcome(OutcomeKind.Conflict, late);
            }

            try
            {
                tracking = await postal.CreateShipmentAsync(await ShipmentOfAsync(dossier, input.Note, codAmount, cancellationToken), cancellationToken);
            }
            catch (PostalServiceException ex)
            {
                return new ActionOutcome(OutcomeKind.Unavailable, ex.Message);
            }

            db.Set<Shipment>().Add(new Shipment { DossierId = dossier.Id, TrackingNumber = tracking, PostedBy = actor, CreatedAt = at, UpdatedAt = at, Status = ShipmentStatus.Created, CodAmount = codAmount });
        }

        DossierAction done;
        try
        {
            done = action switch
            {
                WorkflowAction.Receive => dossier.Receive(process.Id, step.Code, Target(transition.ToStep ?? step.Code), calendar.DueAt(now, process.TimeLimit, process.TimeLimitUnit).UtcDateTime, actor, at, input.Note),
                WorkflowAction.RequestSupplement => dossier.RequestSupplement(process.Id, step.Code, [.. input.Missing.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim())], transition.StopsClock, actor, at, input.Note),
                WorkflowAction.Refuse => dossier.Refuse(process.Id, step.Code, input.Reason!.Trim(), actor, at, input.Note),
                WorkflowAction.Forward or WorkflowAction.SendBack or WorkflowAction.Approve => dossier.MoveTo(action, step.Code, Target(transition.ToStep ?? step.Code), Named(transition.ToStep ?? step.Code), actor, at, input.Note),
                WorkflowAction.AttachResult => dossier.AttachResult(step.Code, actor, at, input.Note),
                WorkflowAction.ResultReady => dossier.MarkResultReady(step.Code, actor, at, input.Note),
                // A dossier that needed the apology counts as late whatever its new date (SPEC §4: trễ hạn).
                WorkflowAction.HandBack when tracking is not null => dossier.SendByPost(step.Code, tracking, actor, at, input.Note),
                WorkflowAction.HandBack => dossier.HandBack(step.Code, TimelinessAt(dossier, at), actor, at, input.Note, AtDesk(dossier) ? input.ReceivedBy : null),
                WorkflowAction.Reschedule => dossier.Reschedule(step.Code, EndOfDay(input.NewDueDate!.Value), input.Reason!.Trim(), actor, at, input.Note),
                WorkflowAction.Stop => dossier.Stop(step.Code, input.Reason!.Trim(), actor, at, input.Note),
                _ => throw new ArgumentOutOfRangeException(nameof(action)),
            };
        }
        catch (DossierStateException ex)
        {
            return new ActionOutcome(OutcomeKind.Conflict, ex.Message);
        }

        done.Timeliness = done.StepDueAt is { } stepDue ? Of(WorkingCalendar.TimelinessOf(now, Local(stepDue))) : null;
        // The process says where a fee is paid: right after reception, or before the result is handed back.
        if ((action == WorkflowAction.Receive && process.PaymentPoint == PaymentPoint.BeforeProcessing)
            || (action == WorkflowAction.ResultReady && process.PaymentPoint == PaymentPoint.BeforeHandBack))
        {
            dossier.AwaitPayment(at);
        }

        foreach (var file in input.Files)
        {
            var (stored, error) = await files.StageAsync(dossier, action == WorkflowAction.AttachResult ? DossierFileKind.Result : DossierFileKind.ActionAttachment, file.FileName, file.Content, cancellationToken);
            if (error is not null)
            {
                return ActionOutcome.Invalid("files", error);
            }

            done.Files.Add(stored!);
        }

        await TellApplicantAsync(dossier, done, at, cancellationToken, tracking);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActionOutcome.Raced;
        }

        if (action == WorkflowAction.HandBack && dossier.Delivery == DeliveryMethod.Online)
        {
            await KeepResultsAsync(dossier, cancellationToken);
        }

        return ActionOutcome.Done;
    }

    /// <summary>The hand-back of a dossier that waits only for its fee, possible by post with cash on delivery.</summary>
    private static bool PostsWithCod(Dossier dossier, WorkflowAction action) => action == WorkflowAction.HandBack && dossier.CodApplies;

    /// <summary>A dossier handed back at the desk (also one from before the delivery choice existed).</summary>
    private static bool AtDesk(Dossier dossier) => dossier.Delivery is null or DeliveryMethod.AtDesk;

    /// <summary>
    /// An online result becomes the applicant's own: a copy in their personal data store. The hand-back is already
    /// saved, so a failure here is logged and the files stay downloadable from the dossier.
    /// </summary>
    private async Task KeepResultsAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        try
        {
            await personalStore.KeepResultsAsync(dossier, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or DbUpdateException or HttpRequestException)
        {
            LogKeepFailed(logger, dossier.Id, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dossier {Id} was handed back online but its results could not be kept in the personal data store.")]
    private static partial void LogKeepFailed(ILogger logger, Guid id, Exception exception);

    /// <summary>The order for the carrier: from the agency to the address the applicant gave, with the fee to collect (0: none).</summary>
    private async Task<PostalShipment> ShipmentOfAsync(Dossier dossier, string? note, long codAmount, CancellationToken cancellationToken)
    {
        var agency = await db.Agencies.AsNoTracking().Where(a => a.Id == dossier.AgencyId).Select(a => new { a.Name, a.Address }).FirstAsync(cancellationToken);
        return new PostalShipment(
            dossier.Code!, agency.Name, agency.Address ?? agency.Name, dossier.Applicant.FullName, dossier.Applicant.Phone, dossier.DeliveryAddress ?? "—",
            WeightGram: 100, CodAmount: codAmount, Note: string.IsNullOrWhiteSpace(note) ? "Kết quả giải quyết thủ tục hành chính " + dossier.Code : note.Trim());
    }

    /// <summary>How a hand-back at <paramref name="at"/> stands against the due date; one that needed the apology counts as late (SPEC §4: trễ hạn).</summary>
    internal static DossierTimeliness TimelinessAt(Dossier dossier, DateTime at) =>
        dossier.Extended ? DossierTimeliness.Late : Of(WorkingCalendar.TimelinessOf(Local(at), Local(dossier.DueAt!.Value)));

    /// <summary>
    /// Gives the dossier to a named officer of its agency who holds the role of its step. Reception, leaders and
    /// agency administrators hand dossiers out; anyone may take one of their own role for themselves.
    /// </summary>
    public async Task<ActionOutcome> AssignAsync(ClaimsPrincipal user, Guid id, string? assigneeUserName, CancellationToken cancellationToken)
    {
        var found = await FindAsync(user, id, cancellationToken);
        if (found is null || UserClaims.Id(user) is not { } actor)
        {
            return ActionOutcome.NotFound;
        }

        var (dossier, _, step, _) = found;
        if (dossier.WhyNot(WorkflowAction.Assign) is { } why)
        {
            return new ActionOutcome(OutcomeKind.Conflict, why);
        }

        var assignee = string.IsNullOrWhiteSpace(assigneeUserName) ? null
            : await db.Users.AsNoTracking().Where(u => u.UserName == assigneeUserName.Trim()).Select(u => new { u.Id, u.FullName }).FirstOrDefaultAsync(cancellationToken);
        var candidates = await OfficersAsync(dossier.AgencyId, dossier.CurrentRole ?? step.Role, cancellationToken);
        if (assignee is null || !candidates.Any(c => c.Id == assignee.Id))
        {
            return ActionOutcome.Invalid("assigneeUserName", $"Chọn một cán bộ của cơ quan có vai trò {RoleLabel(dossier.CurrentRole ?? step.Role).ToLowerInvariant()}.");
        }

        var distributes = user.IsInRole(Roles.Reception) || user.IsInRole(Roles.Leader) || user.IsInRole(Roles.AgencyAdmin) || user.IsInRole(Roles.SystemAdmin);
        if (assignee.Id != actor && !distributes)
        {
            return new ActionOutcome(OutcomeKind.Forbidden, "Vai trò của bạn chỉ được nhận hồ sơ cho chính mình; phân công cho người khác là việc của bộ phận một cửa hoặc lãnh đạo.");
        }

        dossier.AssignTo(assignee.Id, actor, time.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ActionOutcome.Raced;
        }

        return ActionOutcome.Done;
    }

    /// <summary>The officers of an agency (its members, or members of a unit covering it) with a role.</summary>
    public async Task<List<(Guid Id, string UserName, string FullName)>> OfficersAsync(int agencyId, string role, CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var members = await db.UserAgencies.AsNoTracking()
            .Join(db.UserRoles.Where(r => r.RoleId == roleId), a => a.UserId, r => r.UserId, (a, r) => a)
            .Join(db.Users, a => a.UserId, u => u.Id, (a, u) => new { u.Id, u.UserName, u.FullName, a.AgencyId })
            .ToListAsync(cancellationToken);
        return [.. members.GroupBy(m => m.Id)
            .Where(g => AgencyScope.Covered(g.Select(m => m.AgencyId), tree).Contains(agencyId))
            .Select(g => (g.Key, g.First().UserName ?? string.Empty, g.First().FullName))
            .OrderBy(o => o.Item3, StringComparer.Ordinal)];
    }

    public static string RoleLabel(string role) => Roles.All.FirstOrDefault(r => r.Name == role).Label ?? role;

    private static ActionOutcome? Check(Dossier dossier, ProcessTransition transition, ActionInput input)
    {
        if (input.Note?.Length > 2000 || input.Reason?.Length > 2000)
        {
            return ActionOutcome.Invalid(input.Note?.Length > 2000 ? "note" : "reason", "Nội dung dài quá 2.000 ký tự; hãy viết gọn lại.");
        }

        if (input.Missing.Count > 30 || input.Missing.Sum(m => m.Length) > 3000)
        {
            return ActionOutcome.Invalid("missing", "Danh sách cần bổ sung dài quá (tối đa 30 mục, 3.000 ký tự).");
        }

        if (transition.RequiresNote && string.IsNullOrWhiteSpace(input.Note))
        {
            return ActionOutcome.Invalid("note", "Nhập ghi chú: thao tác này cần nói rõ lý do hoặc nội dung.");
        }

        if (transition.RequiresFile && input.Files.Count == 0)
        {
            return ActionOutcome.Invalid("files", "Chọn tệp để đính kèm (PDF, JPEG, PNG hoặc DOCX).");
        }

        if (transition.Action == WorkflowAction.HandBack && AtDesk(dossier))
        {
            var receiver = input.ReceivedBy;
            if (string.IsNullOrWhiteSpace(receiver?.Name) || receiver.Name.Length > 200)
            {
                return ActionOutcome.Invalid("receivedBy.name", string.IsNullOrWhiteSpace(receiver?.Name) ? "Nhập họ tên người nhận kết quả." : "Họ tên người nhận dài quá 200 ký tự.");
            }

            if (receiver.IdentityNumber is { } number && CitizenIdentity.Check(number) is { } wrong)
            {
                return ActionOutcome.Invalid("receivedBy.identityNumber", wrong);
            }
        }

        switch (transition.Action)
        {
            case WorkflowAction.RequestSupplement when !input.Missing.Any(m => !string.IsNullOrWhiteSpace(m)):
                return ActionOutcome.Invalid("missing", "Liệt kê giấy tờ, thông tin cần bổ sung, mỗi dòng một mục.");
            case WorkflowAction.Refuse or WorkflowAction.Stop or WorkflowAction.Reschedule when string.IsNullOrWhiteSpace(input.Reason):
                return ActionOutcome.Invalid("reason", transition.Action == WorkflowAction.Reschedule ? "Nhập lý do chậm trả kết quả." : "Nhập lý do để ghi vào phiếu gửi công dân.");
            case WorkflowAction.Reschedule when input.NewDueDate is not { } day:
                return ActionOutcome.Invalid("newDueDate", "Nhập ngày hẹn trả mới theo dạng ngày/tháng/năm, ví dụ 25/12/2026.");
            case WorkflowAction.Reschedule when dossier.DueAt is { } due && input.NewDueDate <= DateOnly.FromDateTime(VietnamTime.ToLocal(due)):
                return ActionOutcome.Invalid("newDueDate", $"Ngày hẹn trả mới phải sau ngày hẹn hiện tại ({Formats.Date(due)}).");
            default:
                return null;
        }
    }

    /// <summary>Tells the applicant (the account that submitted) of the actions that concern them: e-mail, SMS and in-app, from the templates.</summary>
    internal async Task TellApplicantAsync(Dossier dossier, DossierAction done, DateTime now, CancellationToken cancellationToken, string? tracking = null)
    {
        NoticeKind? kind = done.Action switch
        {
            WorkflowAction.Receive => NoticeKind.Received,
            WorkflowAction.RequestSupplement => NoticeKind.SupplementRequested,
            WorkflowAction.Refuse => NoticeKind.Refused,
            WorkflowAction.ResultReady => NoticeKind.ResultReady,
            // Posting is not yet the hand-back: the applicant gets the tracking number now and "completed" when the carrier delivers.
            WorkflowAction.HandBack when dossier.Status == DossierStatus.Completed => NoticeKind.Completed,
            WorkflowAction.HandBack when tracking is not null => NoticeKind.ResultPosted,
            WorkflowAction.Reschedule => NoticeKind.Rescheduled,
            WorkflowAction.Stop => NoticeKind.Stopped,
            _ => null,
        };
        if (kind is not { } k)
        {
            return;
        }

        var snapshot = await catalog.GetAsync(cancellationToken);
        var facts = new NoticeFacts(
            dossier.Id, dossier.Code!, snapshot.Procedures.FirstOrDefault(p => p.Id == dossier.ProcedureId)?.Name ?? "—", snapshot.Agencies.Find(dossier.AgencyId)?.Name ?? "—", now,
            DueAt: done.DueAt ?? dossier.DueAt, Reason: done.Reason, Missing: done.Missing, Note: done.Note, Amount: dossier.FeeAmount, Tracking: tracking);
        var applicant = await ApplicantAsync(db, dossier.OwnerId, cancellationToken);
        await notices.QueueAsync(db, k, applicant, facts, cancellationToken);
        if (dossier.Status == DossierStatus.AwaitingPayment)
        {
            await notices.QueueAsync(db, NoticeKind.AwaitingPayment, applicant, facts, cancellationToken);
        }
    }

    /// <summary>The account a dossier's notices go to, with only its verified contacts.</summary>
    internal static async Task<NoticeRecipient> ApplicantAsync(AppDbContext db, Guid ownerId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().Where(u => u.Id == ownerId)
            .Select(u => new NoticeRecipient(u.Id, u.FullName, u.EmailConfirmed ? u.Email : null, u.PhoneNumberConfirmed ? u.PhoneNumber : null))
            .SingleAsync(cancellationToken);

    internal static DossierTimeliness Of(Timeliness timeliness) => timeliness switch
    {
        Timeliness.Early => DossierTimeliness.Early,
        Timeliness.OnTime => DossierTimeliness.OnTime,
        _ => DossierTimeliness.Late,
    };

    internal static DateTimeOffset Local(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(TimeSpan.FromHours(7));

    /// <summary>A new appointment day means the end of its afternoon shift, Vietnam time.</summary>
    private static DateTime EndOfDay(DateOnly day) => new DateTimeOffset(day.ToDateTime(new TimeOnly(17, 0)), TimeSpan.FromHours(7)).UtcDateTime;
}
