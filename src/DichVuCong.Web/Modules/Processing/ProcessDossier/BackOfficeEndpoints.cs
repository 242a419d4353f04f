using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.ProcessDossier;

/// <summary>The JSON body of an action; <c>newDueDate</c> is yyyy-MM-dd or dd/MM/yyyy; <c>collectOnDelivery</c>: hand-back by post with the fee collected on delivery (COD).</summary>
internal sealed record ActionRequest(string? Note, string? ToStep, List<string>? Missing, string? Reason, string? NewDueDate, ReceiverRequest? ReceivedBy = null, bool CollectOnDelivery = false);

/// <summary>Hand-back at the desk: who took the result; <c>relation</c> is <c>applicant</c> (default) or <c>authorised</c> (giấy ủy quyền).</summary>
internal sealed record ReceiverRequest(string? Name, string? IdentityNumber, string? Relation)
{
    public static ReceiverRelation? ParseRelation(string? relation) => relation switch
    {
        null or "" or "applicant" => ReceiverRelation.Applicant,
        "authorised" or "authorized" => ReceiverRelation.Authorised,
        _ => null,
    };

    public ResultReceiver ToReceiver(ReceiverRelation relation) =>
        new(Name?.Trim() ?? string.Empty, string.IsNullOrWhiteSpace(IdentityNumber) ? null : IdentityNumber.Trim(), relation);
}

internal sealed record AssignRequest(string? AssigneeUserName);

/// <summary>A dossier as an officer sees it: the owner's view plus where it stands in its process, what this officer may do, and what the applicant was told (newest first).</summary>
internal sealed record OfficerDossierView(
    DossierView Dossier, string Process, int ProcessVersion, string Step, string StepName, string StepRole, string? AssignedTo,
    DateTime? ReceivedAt, DateTime? StepDueAt, bool ClockPaused, bool Extended, string? Timeliness, IReadOnlyList<string> AllowedActions, IReadOnlyList<ActionView> Actions,
    IReadOnlyList<DossierMessageView> Notifications, IReadOnlyList<ShipmentView>? Shipments = null);

/// <summary>
/// A result sent by post: the carrier's tracking number, its status (created|accepted|in_transit|delivered|returned),
/// the fee to collect on delivery (0: none) and what the carrier collected, the carrier's reports.
/// </summary>
internal sealed record ShipmentView(string TrackingNumber, string Status, string StatusLabel, long CodAmount, long? CodCollected, DateTime CreatedAt, IReadOnlyList<ShipmentEventView> Events)
{
    /// <summary>Delivered without the whole fee collected: the fee is still owed.</summary>
    public bool CodMissing => CodAmount > 0 && Status == "delivered" && !(CodCollected >= CodAmount);

    public static async Task<List<ShipmentView>> ForAsync(AppDbContext db, Guid dossierId, CancellationToken cancellationToken) =>
        [.. (await db.Set<Shipment>().AsNoTracking().Include(s => s.Events).Where(s => s.DossierId == dossierId).ToListAsync(cancellationToken))
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => new ShipmentView(s.TrackingNumber, ShipmentStatuses.Code(s.Status), ShipmentStatuses.Label(s.Status), s.CodAmount, s.CodCollected, s.CreatedAt,
                [.. s.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => new ShipmentEventView(ShipmentStatuses.Code(e.Status), ShipmentStatuses.Label(e.Status), e.At))]))];
}

internal sealed record ShipmentEventView(string Status, string StatusLabel, DateTime At);

internal sealed record ActionView(
    string Action, string? FromStep, string? ToStep, Guid ActorId, DateTime At, string? Note, DateTime? StepDueAt, string? Timeliness, int? Slip,
    IReadOnlyList<string> Missing, string? Reason, DateTime? DueAt, IReadOnlyList<Guid> FileIds, ReceiverView? ReceivedBy = null);

/// <summary>Who took the result at the desk.</summary>
internal sealed record ReceiverView(string Name, string? IdentityNumber, string Relation);

/// <summary>The officers' API under <c>/api/v1/backoffice</c>: the same handler as the pages.</summary>
internal static class BackOfficeEndpoints
{
    public static void MapBackOffice(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/backoffice").RequireAuthorization(Policies.Officer).DisableAntiforgery().WithTags("BackOffice");
        group.MapGet("/dossiers/{id:guid}", GetAsync).WithName("GetOfficerDossier").WithSummary("Một hồ sơ của cơ quan: bước, hạn, quá trình xử lý, các thao tác được phép và thông báo đã gửi người nộp (state: queued|sent|failed|retried|gave_up)");
        group.MapPost("/dossiers/{id:guid}/actions/{action}", ActAsync).WithName("ActOnDossier")
            .WithSummary("Thao tác: receive, request-supplement, refuse, forward, send-back, approve, attach-result, result-ready, hand-back, reschedule, stop. JSON {note, toStep, missing[], reason, newDueDate, receivedBy:{name, identityNumber, relation: applicant|authorised}} hoặc multipart (kèm files). hand-back: tại Bộ phận Một cửa cần receivedBy.name; nhận qua bưu chính thì tạo bưu gửi (502 khi bưu chính không nhận), collectOnDelivery: true khi hồ sơ đang chờ thanh toán thì bưu chính thu hộ phí, lệ phí (COD)")
            .Accepts<ActionRequest>("application/json", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(64 * 1024 * 1024));
        group.MapPost("/dossiers/{id:guid}/assign", AssignAsync).WithName("AssignDossier").WithSummary("Phân công hồ sơ cho một cán bộ của cơ quan (assigneeUserName)");
    }

    public static void MapOfficerFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/can-bo/ho-so/{id:guid}/tep/{fileId:guid}", FileAsync).RequireAuthorization(Policies.Officer).ExcludeFromDescription();
    }

    private static async Task<Results<Ok<OfficerDossierView>, NotFound>> GetAsync(Guid id, HttpContext http, DossierProcessing processing, DossierClock clock, Catalog.CatalogIndex catalog, AppDbContext db, CancellationToken cancellationToken)
    {
        var found = await processing.FindAsync(http.User, id, cancellationToken);
        return found is null ? TypedResults.NotFound() : TypedResults.Ok(await ViewAsync(found, clock, catalog, db, cancellationToken));
    }

    private static async Task<IResult> ActAsync(Guid id, string action, HttpContext http, DossierProcessing processing, DossierClock clock, Catalog.CatalogIndex catalog, AppDbContext db, CancellationToken cancellationToken)
    {
        var kind = WorkflowActions.Parse(action);
        if (kind is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Không có thao tác này",
                detail: "Thao tác là một trong: " + string.Join(", ", WorkflowActions.OfOfficers.Select(WorkflowActions.Code)));
        }

        ActionRequest? body;
        var files = new List<ActionFile>();
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(cancellationToken);
            body = new ActionRequest(form["note"], form["toStep"], [.. form["missing"].OfType<string>()], form["reason"], form["newDueDate"],
                new ReceiverRequest(form["receivedBy.name"], form["receivedBy.identityNumber"], form["receivedBy.relation"]), form["collectOnDelivery"] == "true");
            files.AddRange(form.Files.Where(f => f.Length > 0).Select(f => new ActionFile(f.FileName, f.OpenReadStream())));
        }
        else
        {
            try
            {
                body = http.Request.ContentLength is 0 ? null : await http.Request.ReadFromJsonAsync<ActionRequest>(cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Nội dung không phải JSON hợp lệ."] });
            }
        }

        try
        {
            var newDue = Formats.ParseDate(body?.NewDueDate);
            if (body?.NewDueDate is { Length: > 0 } && newDue is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newDueDate"] = ["Ngày hẹn mới theo dạng yyyy-MM-dd hoặc dd/MM/yyyy."] });
            }

            var relation = ReceiverRequest.ParseRelation(body?.ReceivedBy?.Relation);
            if (relation is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["receivedBy.relation"] = ["Người nhận là applicant (người nộp) hoặc authorised (người được ủy quyền)."] });
            }

            var outcome = await processing.ActAsync(http.User, id, kind.Value, new ActionInput
            {
                Note = body?.Note, ToStep = string.IsNullOrEmpty(body?.ToStep) ? null : body.ToStep, Missing = body?.Missing ?? [], Reason = body?.Reason, NewDueDate = newDue, Files = files,
                ReceivedBy = body?.ReceivedBy?.ToReceiver(relation.Value), CollectOnDelivery = body?.CollectOnDelivery ?? false,
            }, cancellationToken);
            if (outcome.Kind != OutcomeKind.Done)
            {
                return Problem(outcome);
            }
        }
        finally
        {
            foreach (var f in files)
            {
                await f.Content.DisposeAsync();
            }
        }

        var found = await processing.FindAsync(http.User, id, cancellationToken);
        return TypedResults.Ok(await ViewAsync(found!, clock, catalog, db, cancellationToken));
    }

    private static async Task<IResult> AssignAsync(Guid id, AssignRequest request, HttpContext http, DossierProcessing processing, DossierClock clock, Catalog.CatalogIndex catalog, AppDbContext db, CancellationToken cancellationToken)
    {
        var outcome = await processing.AssignAsync(http.User, id, request.AssigneeUserName, cancellationToken);
        if (outcome.Kind != OutcomeKind.Done)
        {
            return Problem(outcome);
        }

        var found = await processing.FindAsync(http.User, id, cancellationToken);
        return TypedResults.Ok(await ViewAsync(found!, clock, catalog, db, cancellationToken));
    }

    private static async Task<IResult> FileAsync(Guid id, Guid fileId, HttpContext http, DossierProcessing processing, IFileStore store, CancellationToken cancellationToken)
    {
        var found = await processing.FindAsync(http.User, id, cancellationToken);
        var file = found?.Dossier.Files.FirstOrDefault(f => f.Id == fileId);
        var content = file is null ? null : store.OpenRead(file.StoragePath);
        return content is null ? Results.NotFound() : Results.File(content, file!.ContentType, file.FileName);
    }

    /// <summary>404 when not the officer's to see, 403 for a role, 409 for a step or state, 400 for what is missing.</summary>
    private static IResult Problem(ActionOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => TypedResults.NotFound(),
        OutcomeKind.Invalid => TypedResults.ValidationProblem(outcome.Errors!.ToDictionary(), title: outcome.Message),
        OutcomeKind.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Không được phép", detail: outcome.Message),
        OutcomeKind.Unavailable => TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Dịch vụ bưu chính không phản hồi", detail: outcome.Message),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Không thực hiện được ở trạng thái, bước hiện tại", detail: outcome.Message),
    };

    internal static async Task<OfficerDossierView> ViewAsync(OfficerDossier found, DossierClock clock, Catalog.CatalogIndex catalog, AppDbContext db, CancellationToken cancellationToken)
    {
        var (d, process, step, allowed) = found;
        var snapshot = await catalog.GetAsync(cancellationToken);
        var view = DossierView.Of(d, snapshot.Procedures.FirstOrDefault(p => p.Id == d.ProcedureId)?.Code ?? string.Empty, snapshot.Agencies.Find(d.AgencyId)?.Code ?? string.Empty)
            with { RemainingWorkingTime = await clock.RemainingAsync(d, cancellationToken) };
        return new OfficerDossierView(
            view, process.Name, process.Version, step.Code, step.Name, step.Role, d.AssignedToId?.ToString(),
            d.ReceivedAt, d.StepDueAt, d.ClockPausedAt is not null, d.Extended, d.Timeliness is { } t ? TimelinessCode(t) : null,
            [.. allowed.Select(a => WorkflowActions.Code(a.Action)).Distinct()],
            [.. d.Actions.OrderBy(a => a.At).ThenBy(a => a.Id).Select(a => new ActionView(
                WorkflowActions.Code(a.Action), a.FromStep, a.ToStep, a.ActorId, a.At, a.Note, a.StepDueAt, a.Timeliness is { } at ? TimelinessCode(at) : null,
                a.Slip == IssuedSlip.None ? null : (int)a.Slip, a.Missing, a.Reason, a.DueAt, [.. a.Files.Select(f => f.Id)],
                a.ReceivedBy is { } r ? new ReceiverView(r.Name, r.IdentityNumber, r.Relation == ReceiverRelation.Authorised ? "authorised" : "applicant") : null))],
            await DossierMessages.ForAsync(db, d.Id, cancellationToken),
            await ShipmentView.ForAsync(db, d.Id, cancellationToken));
    }

    public static string TimelinessCode(DossierTimeliness t) => t switch
    {
        DossierTimeliness.Early => "early",
        DossierTimeliness.OnTime => "on_time",
        _ => "late",
    };
}
