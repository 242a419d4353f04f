using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.ProcessDossier;

/// <summary>
/// <c>/can-bo/ho-so/{id}</c>: one dossier for the officers of its agency: details, files, the recorded actions with
/// their on-time state, the due date and working time left, assignment, and a small form for each action this
/// officer may take now; what the applicant was told and whether it arrived, with "Gửi lại" for a message given up.
/// </summary>
[Authorize(Policy = Policies.Officer)]
internal sealed class OfficerDossierPageModel(DossierProcessing processing, DossierClock clock, AppDbContext db, CatalogIndex catalog, EFormAnswers eform, TimeProvider time) : PageModel
{
    public OfficerDossier Found { get; private set; } = null!;

    /// <summary>The applicant's e-form (tờ khai điện tử), what the officer checks; empty when the procedure has none.</summary>
    public IReadOnlyList<EFormAnswer> Answers { get; private set; } = [];

    public Dossier Dossier => Found.Dossier;

    public string Procedure { get; private set; } = string.Empty;

    public string Agency { get; private set; } = string.Empty;

    public string? Remaining { get; private set; }

    public IReadOnlyDictionary<Guid, string> People { get; private set; } = new Dictionary<Guid, string>();

    public IReadOnlyList<(Guid Id, string UserName, string FullName)> Assignable { get; private set; } = [];

    /// <summary>The messages about this dossier, newest first.</summary>
    public IReadOnlyList<DossierMessageView> Messages { get; private set; } = [];

    [TempData] public string? Notice { get; set; }

    /// <summary>Why the last action was not taken (another officer was faster, wrong role or step).</summary>
    public string? Error { get; private set; }

    /// <summary>The action whose form was posted and came back with errors.</summary>
    public string? Posted { get; private set; }

    [BindProperty] public string? Operation { get; set; }

    [BindProperty] public string? Note { get; set; }

    [BindProperty] public string? Missing { get; set; }

    [BindProperty] public string? Reason { get; set; }

    [BindProperty] public string? NewDueDate { get; set; }

    [BindProperty] public string? ToStep { get; set; }

    [BindProperty] public string? Assignee { get; set; }

    /// <summary>Hand-back at the desk: who took the result.</summary>
    [BindProperty] public string? ReceiverName { get; set; }

    [BindProperty] public string? ReceiverIdentity { get; set; }

    /// <summary><c>applicant</c> or <c>authorised</c>.</summary>
    [BindProperty] public string? ReceiverRelation { get; set; }

    /// <summary>Hand-back by post of a dossier waiting for its fee: the carrier collects it (COD).</summary>
    [BindProperty] public bool CollectOnDelivery { get; set; }

    /// <summary>The results sent by post, newest first.</summary>
    public IReadOnlyList<ShipmentView> Shipments { get; private set; } = [];

    /// <summary>The dossier's payments (online and at the desk), newest first.</summary>
    public IReadOnlyList<Payments.PaymentRow> PaymentRows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostActAsync(Guid id, List<IFormFile> files, CancellationToken cancellationToken)
    {
        var action = WorkflowActions.Parse(Operation);
        if (action is null)
        {
            return BadRequest();
        }

        var streams = files.Where(f => f.Length > 0).Select(f => new ActionFile(f.FileName, f.OpenReadStream())).ToList();
        try
        {
            var input = new ActionInput
            {
                Note = Note,
                Missing = [.. (Missing ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                Reason = Reason,
                NewDueDate = Formats.ParseDate(NewDueDate),
                ToStep = string.IsNullOrEmpty(ToStep) ? null : ToStep,
                Files = streams,
                ReceivedBy = new ReceiverRequest(ReceiverName, ReceiverIdentity, ReceiverRelation).ToReceiver(ReceiverRequest.ParseRelation(ReceiverRelation) ?? Dossiers.ReceiverRelation.Applicant),
                CollectOnDelivery = CollectOnDelivery,
            };
            if (action == WorkflowAction.Reschedule && !string.IsNullOrWhiteSpace(NewDueDate) && input.NewDueDate is null)
            {
                ModelState.AddModelError(nameof(NewDueDate), "Nhập ngày hẹn trả mới theo dạng ngày/tháng/năm, ví dụ 25/12/2026.");
                return await ShowAgainAsync(id, action.Value, cancellationToken);
            }

            var outcome = await processing.ActAsync(User, id, action.Value, input, cancellationToken);
            switch (outcome.Kind)
            {
                case OutcomeKind.Done:
                    Notice = $"Đã thực hiện: {WorkflowActions.Label(action.Value)}.";
                    return RedirectToPage(new { id });
                case OutcomeKind.NotFound:
                    return NotFound();
                case OutcomeKind.Invalid:
                    foreach (var (key, messages) in outcome.Errors!)
                    {
                        ModelState.AddModelError(FieldOf(key), messages[0]);
                    }

                    return await ShowAgainAsync(id, action.Value, cancellationToken);
                default:
                    Error = outcome.Message;
                    Response.StatusCode = outcome.Kind switch
                    {
                        OutcomeKind.Forbidden => StatusCodes.Status403Forbidden,
                        OutcomeKind.Unavailable => StatusCodes.Status502BadGateway,
                        _ => StatusCodes.Status409Conflict,
                    };
                    return await ShowAgainAsync(id, action.Value, cancellationToken);
            }
        }
        finally
        {
            foreach (var s in streams)
            {
                await s.Content.DisposeAsync();
            }
        }
    }

    public async Task<IActionResult> OnPostAssignAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await processing.AssignAsync(User, id, Assignee, cancellationToken);
        switch (outcome.Kind)
        {
            case OutcomeKind.Done:
                Notice = "Đã phân công hồ sơ.";
                return RedirectToPage(new { id });
            case OutcomeKind.NotFound:
                return NotFound();
            case OutcomeKind.Invalid:
                ModelState.AddModelError(nameof(Assignee), outcome.Message!);
                break;
            default:
                Error = outcome.Message;
                break;
        }

        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    /// <summary>"Gửi lại": a message given up goes back to the queue; only for officers who may see the dossier.</summary>
    public async Task<IActionResult> OnPostResendAsync(Guid id, Guid message, CancellationToken cancellationToken)
    {
        if (await processing.FindAsync(User, id, cancellationToken) is null)
        {
            return NotFound();
        }

        if (await DossierMessages.ResendAsync(db, id, message, time.GetUtcNow().UtcDateTime, cancellationToken))
        {
            Notice = "Đã đưa thông báo vào hàng chờ gửi lại.";
            return RedirectToPage(new { id });
        }

        Error = "Thông báo này không còn ở trạng thái ngừng gửi (có thể đã được gửi lại).";
        Response.StatusCode = StatusCodes.Status409Conflict;
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    /// <summary>The step's name in this dossier's process version.</summary>
    public string StepName(string? code) => Found.Process.Step(code)?.Name ?? code ?? "—";

    private async Task<IActionResult> ShowAgainAsync(Guid id, WorkflowAction action, CancellationToken cancellationToken)
    {
        Posted = WorkflowActions.Code(action);
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private static string FieldOf(string key) => key switch
    {
        "note" => nameof(Note),
        "missing" => nameof(Missing),
        "reason" => nameof(Reason),
        "newDueDate" => nameof(NewDueDate),
        "toStep" => nameof(ToStep),
        "receivedBy.name" => nameof(ReceiverName),
        "receivedBy.identityNumber" => nameof(ReceiverIdentity),
        _ => "files",
    };

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var found = await processing.FindAsync(User, id, cancellationToken);
        if (found is null)
        {
            return false;
        }

        Found = found;
        var snapshot = await catalog.GetAsync(cancellationToken);
        var procedure = snapshot.Procedures.FirstOrDefault(p => p.Id == found.Dossier.ProcedureId);
        Procedure = procedure?.Name ?? string.Empty;
        Answers = procedure is null ? [] : eform.Of(procedure.Code, found.Dossier.EFormJson);
        Agency = snapshot.Agencies.Find(found.Dossier.AgencyId)?.Name ?? string.Empty;
        Remaining = await clock.RemainingAsync(found.Dossier, cancellationToken);
        var ids = found.Dossier.Actions.Select(a => a.ActorId).Concat(found.Dossier.Actions.Where(a => a.AssigneeId != null).Select(a => a.AssigneeId!.Value))
            .Append(found.Dossier.AssignedToId ?? Guid.Empty).Distinct().ToList();
        People = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        Assignable = found.Dossier.WhyNot(WorkflowAction.Assign) is null
            ? await processing.OfficersAsync(found.Dossier.AgencyId, found.Dossier.CurrentRole ?? found.Step.Role, cancellationToken)
            : [];
        Messages = await DossierMessages.ForAsync(db, id, cancellationToken);
        Shipments = await ShipmentView.ForAsync(db, id, cancellationToken);
        PaymentRows = await Payments.PaymentHistory.ForDossiersAsync(db, db.Dossiers.Where(d => d.Id == id).Select(d => d.Id), cancellationToken);
        return true;
    }
}
