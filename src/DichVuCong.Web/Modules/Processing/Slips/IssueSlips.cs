using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using DichVuCong.Web.Modules.Processing.Workflows;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>What the register form asked for, once checked: the agency and the Vietnam-time days, both included.</summary>
internal sealed record RegisterRequest(AgencyNode Agency, DateOnly From, DateOnly To);

/// <summary>
/// The official slips of a real dossier: builds <see cref="SlipData"/> from the dossier, the action that issued
/// the slip and the catalog, and the register (<see cref="RegisterData"/>) of an agency over a date range. The
/// slip number is the dossier code with the form number (one slip of a kind per action, so it is unique and
/// anyone can trace it back to the dossier).
/// </summary>
internal sealed class DossierSlips(AppDbContext db, CatalogIndex catalog, SlipRenderer renderer, IAuthorizationService authorization, TimeProvider time)
{
    /// <summary>Longest register printed at once.</summary>
    public const int MaxRegisterDays = 366;

    public static SlipKind? KindOf(IssuedSlip slip) => slip switch
    {
        IssuedSlip.Receipt => SlipKind.Receipt,
        IssuedSlip.SupplementRequest => SlipKind.SupplementRequest,
        IssuedSlip.Refusal => SlipKind.Refusal,
        IssuedSlip.Apology => SlipKind.Apology,
        IssuedSlip.StopNotice => SlipKind.Stop,
        _ => null,
    };

    /// <summary>The regime whose form a dossier's slip of that kind uses: the one of its reception day, or the first that has the form (a stop notice exists only from 2025).</summary>
    public static Regime RegimeFor(SlipRenderer renderer, Dossier dossier, SlipKind kind)
    {
        var regime = renderer.RegimeOn(DateOnly.FromDateTime(VietnamTime.ToLocal(ReceivedAt(dossier))));
        return renderer.Template(regime, kind) is not null
            ? regime
            : renderer.Regimes.First(r => r.Forms.Any(f => f.Kind == kind)).Regime;
    }

    /// <summary>The form a dossier's slip of that kind is printed on (its number and title as the circular names them).</summary>
    public static SlipTemplate Form(SlipRenderer renderer, Dossier dossier, SlipKind kind) =>
        renderer.Template(RegimeFor(renderer, dossier, kind), kind)!;

    /// <summary>The slip <paramref name="action"/> issued, as a PDF; null when the action issued none.</summary>
    public async Task<(byte[] Pdf, string FileName)?> SlipAsync(Dossier dossier, long actionId, string lookupBase, CancellationToken cancellationToken)
    {
        var action = dossier.Actions.FirstOrDefault(a => a.Id == actionId);
        if (action is null || KindOf(action.Slip) is not { } kind)
        {
            return null;
        }

        var data = await DataAsync(dossier, action, null, lookupBase, cancellationToken);
        var regime = RegimeFor(renderer, dossier, kind);
        var form = renderer.Template(regime, kind)!.Form;
        return (renderer.Pdf(regime, kind, data with { Number = $"{dossier.Code}-{form}" }), $"{dossier.Code}-mau-{form}.pdf");
    }

    /// <summary>Phiếu kiểm soát quá trình giải quyết hồ sơ: every hand-over recorded so far.</summary>
    public async Task<(byte[] Pdf, string FileName)> ControlSheetAsync(Dossier dossier, Process process, string lookupBase, CancellationToken cancellationToken)
    {
        var data = await DataAsync(dossier, null, process, lookupBase, cancellationToken);
        var regime = RegimeFor(renderer, dossier, SlipKind.ControlSheet);
        return (renderer.Pdf(regime, SlipKind.ControlSheet, data), $"{dossier.Code}-phieu-kiem-soat.pdf");
    }

    /// <summary>Checks the register form; the errors are keyed by the form's field names and say what to fix, in Vietnamese.</summary>
    public async Task<(RegisterRequest? Request, Dictionary<string, string> Errors)> CheckAsync(ClaimsPrincipal user, string? agencyCode, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var agency = tree.All.FirstOrDefault(a => a.Code == agencyCode?.Trim());
        if (string.IsNullOrWhiteSpace(agencyCode))
        {
            errors["co-quan"] = "Chọn cơ quan.";
        }
        else if (agency is null || !agency.ReceivesDossiers || !(await authorization.AuthorizeAsync(user, agency.Id, AgencyOperations.Process)).Succeeded)
        {
            errors["co-quan"] = "Chọn một cơ quan bạn được xử lý hồ sơ.";
        }

        var first = Day(from, "tu", "ngày bắt đầu", errors);
        var last = Day(to, "den", "ngày kết thúc", errors);
        if (first is { } f && last is { } l)
        {
            if (l < f)
            {
                errors["den"] = "Ngày kết thúc phải trùng hoặc sau ngày bắt đầu.";
            }
            else if (l.DayNumber - f.DayNumber + 1 > MaxRegisterDays)
            {
                errors["den"] = $"Mỗi lần chỉ in sổ cho tối đa {MaxRegisterDays} ngày; hãy chọn khoảng ngày ngắn hơn.";
            }
        }

        return (errors.Count == 0 ? new RegisterRequest(agency!, first!.Value, last!.Value) : null, errors);
    }

    /// <summary>Sổ theo dõi hồ sơ: the dossiers the agency received (officer reception) on those Vietnam days.</summary>
    public async Task<RegisterData> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var start = Utc(request.From);
        var end = Utc(request.To.AddDays(1));
        var dossiers = await db.Dossiers.AsNoTracking()
            .Where(d => d.AgencyId == request.Agency.Id && d.ReceivedAt >= start && d.ReceivedAt < end)
            .OrderBy(d => d.ReceivedAt).ToListAsync(cancellationToken);
        var procedureIds = dossiers.Select(d => d.ProcedureId).Distinct().ToList();
        var procedures = await db.Procedures.AsNoTracking().Where(p => procedureIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var rows = dossiers.Select(d => new RegisterRow(d.Code!, procedures.GetValueOrDefault(d.ProcedureId, string.Empty), d.Applicant.FullName, d.ReceivedAt!.Value)
        {
            ApplicantContact = string.Join("; ", new[] { d.Applicant.Address, d.Applicant.Phone }.Where(s => !string.IsNullOrWhiteSpace(s))),
            HandlingAgency = request.Agency.Name,
            DueAt = d.DueAt,
            ReturnedAt = d.Status == DossierStatus.Completed ? d.FinishedAt : null,
            ResultDelivery = Delivery(d, request.Agency.Name),
            Note = d.Status is DossierStatus.Refused or DossierStatus.Stopped or DossierStatus.Withdrawn ? DossierStatuses.Label(d.Status) : null,
        }).ToList();
        return new RegisterData(Header(tree, request.Agency), request.From, request.To, rows)
        {
            Book = request.To.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IssuedOn = VietnamTime.Today(time),
        };
    }

    private async Task<SlipData> DataAsync(Dossier dossier, DossierAction? action, Process? process, string lookupBase, CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var agency = tree.Find(dossier.AgencyId) ?? throw new InvalidOperationException($"Agency {dossier.AgencyId} is not in the catalog.");
        var procedure = await db.Procedures.AsNoTracking().Include(p => p.Components).Include(p => p.Channels)
            .FirstAsync(p => p.Id == dossier.ProcedureId, cancellationToken);
        var channel = procedure.Channels.FirstOrDefault(c => c.Kind == ChannelKind.Online) ?? procedure.Channels.FirstOrDefault();
        var people = dossier.Actions.Select(a => a.ActorId).Concat(dossier.Actions.Where(a => a.AssigneeId != null).Select(a => a.AssigneeId!.Value)).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        var components = procedure.Components.ToDictionary(c => c.Id, c => c.Name);
        var documents = dossier.Files.Where(f => f.Kind is DossierFileKind.Application or DossierFileKind.Supplement)
            .GroupBy(f => f.ComponentId)
            .OrderBy(g => procedure.Components.FirstOrDefault(c => c.Id == g.Key)?.SortOrder ?? int.MaxValue)
            .Select(g => new SlipDocument(
                $"{components.GetValueOrDefault(g.Key, "Giấy tờ khác")} ({string.Join(", ", g.OrderBy(f => f.UploadedAt).Select(f => f.FileName))})",
                "Bản điện tử",
                g.Count()))
            .ToList();
        var applicant = dossier.Applicant;
        return new SlipData
        {
            Agency = Header(tree, agency),
            Number = dossier.Code!,
            IssuedOn = DateOnly.FromDateTime(VietnamTime.ToLocal(action?.At ?? time.GetUtcNow().UtcDateTime)),
            DossierCode = dossier.Code!,
            ProcedureName = procedure.Name,
            ProcedureCode = procedure.Code,
            Applicant = new SlipApplicant(applicant.FullName)
            {
                CitizenId = applicant.IdentityNumber,
                Address = applicant.Address,
                Phone = applicant.Phone,
                Email = applicant.Email,
            },
            ReceivedAt = ReceivedAt(dossier),
            DueAt = action is { Action: WorkflowAction.Receive, DueAt: { } due } ? due : dossier.DueAt,
            TimeLimit = channel?.TimeLimitText,
            Fee = channel?.FeeText,
            ResultDelivery = Delivery(dossier, agency.Name),
            Documents = documents,
            MissingItems = [.. (action?.Missing ?? []).Select(m => new SlipDocument(m))],
            Reason = action?.Reason,
            NewDueAt = action?.Action == WorkflowAction.Reschedule ? action.DueAt : null,
            HandlingAgency = agency.Name,
            Steps = process is null ? [] : Steps(dossier, process, names),
            OfficerName = action is null ? null : names.GetValueOrDefault(action.ActorId),
            LookupUrl = $"{lookupBase}/tra-cuu?ma={Uri.EscapeDataString(dossier.Code!)}",
        };
    }

    /// <summary>One line per recorded action: from which step to which (or to the applicant), given by whom and taken over by whom, against the step's due time.</summary>
    private static List<SlipStep> Steps(Dossier dossier, Process process, IReadOnlyDictionary<Guid, string> names)
    {
        string StepName(string? code) => process.Step(code)?.Name ?? code ?? process.FirstStep.Name;
        var applicant = "Người nộp hồ sơ: " + dossier.Applicant.FullName;
        var actions = dossier.Actions.Where(a => a.Action != WorkflowAction.Assign).OrderBy(a => a.At).ThenBy(a => a.Id).ToList();
        return [.. actions.Select((a, i) =>
        {
            var resubmit = a.Action == WorkflowAction.Resubmit;
            var toApplicant = a.ToStep is null && a.Action is WorkflowAction.RequestSupplement or WorkflowAction.Refuse or WorkflowAction.HandBack or WorkflowAction.Stop or WorkflowAction.Reschedule;
            var to = toApplicant ? applicant : StepName(a.ToStep ?? a.FromStep);

            // Who took the dossier over: the applicant, the officer it was assigned to, else the one who next acted at the step it went to.
            var taker = a.AssigneeId ?? actions.Skip(i + 1).FirstOrDefault(n => n.Action != WorkflowAction.Resubmit && n.FromStep == (a.ToStep ?? a.FromStep))?.ActorId;
            // At the desk the result's taker is recorded: the applicant or the person they authorised.
            var receiver = a.ReceivedBy is { } took ? took.Name + (took.Relation == ReceiverRelation.Authorised ? " (được ủy quyền)" : string.Empty)
                : toApplicant ? dossier.Applicant.FullName : taker is { } t ? names.GetValueOrDefault(t) : null;
            return new SlipStep(WorkflowActions.Label(a.Action), resubmit ? applicant : StepName(a.FromStep), to, a.At)
            {
                DueAt = a.StepDueAt,
                FinishedAt = a.At,
                Timeliness = a.Timeliness switch
                {
                    DossierTimeliness.Early => StepTimeliness.Early,
                    DossierTimeliness.OnTime => StepTimeliness.OnTime,
                    DossierTimeliness.Late => StepTimeliness.Late,
                    // A hand-over with no working time set for its step (reception on the spot) had nothing to be late against.
                    _ => StepTimeliness.OnTime,
                },
                GiverName = resubmit ? dossier.Applicant.FullName : names.GetValueOrDefault(a.ActorId),
                ReceiverName = receiver,
                Note = WorkflowActions.Label(a.Action) + (string.IsNullOrWhiteSpace(a.Note) ? string.Empty : ": " + a.Note),
            };
        })];
    }

    /// <summary>The header: the authority above the agency, then the agency; the place is the province's name.</summary>
    public static SlipAgency Header(AgencyTree tree, AgencyNode agency)
    {
        var parent = agency.ParentId is { } id ? tree.Find(id) : null;
        var top = agency;
        while (top.ParentId is { } up && tree.Find(up) is { } node)
        {
            top = node;
        }

        var place = top.Name.Split(["tỉnh ", "thành phố "], StringSplitOptions.None)[^1];
        return new SlipAgency(parent?.Name ?? string.Empty, agency.Name, place);
    }

    private static string? Delivery(Dossier dossier, string agencyName) => dossier.Delivery switch
    {
        DeliveryMethod.AtDesk => $"{agencyName} (trả trực tiếp)",
        DeliveryMethod.Post => "Qua dịch vụ bưu chính công ích" + (string.IsNullOrWhiteSpace(dossier.DeliveryAddress) ? string.Empty : ": " + dossier.DeliveryAddress),
        DeliveryMethod.Online => "Trực tuyến, bản điện tử trong tài khoản",
        _ => null,
    };

    /// <summary>The reception instant that decides the regime; a slip issued before reception (a refusal, a supplement request) uses the submission.</summary>
    private static DateTime ReceivedAt(Dossier dossier) => dossier.ReceivedAt ?? dossier.SubmittedAt ?? dossier.CreatedAt;

    private static DateTime Utc(DateOnly vietnamDay) =>
        TimeZoneInfo.ConvertTimeToUtc(vietnamDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), VietnamTime.Zone);

    private static DateOnly? Day(string? text, string field, string label, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = $"Nhập {label}.";
            return null;
        }

        var day = Formats.ParseDate(text);
        if (day is null)
        {
            errors[field] = $"Nhập {label} theo dạng ngày/tháng/năm, ví dụ 01/12/2026.";
        }

        return day;
    }
}

/// <summary>
/// The slips as files: officers of the dossier's agency get every slip and the control sheet (page and API),
/// the owner gets the slips addressed to the applicant, officers get the register of their agencies. Anything
/// not theirs is not found.
/// </summary>
internal static class IssueSlipsEndpoints
{
    public static void MapIssueSlips(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        var officer = app.MapGroup("/can-bo").RequireAuthorization(Policies.Officer).ExcludeFromDescription();
        officer.MapGet("/ho-so/{id:guid}/phieu/{actionId:long}.pdf", OfficerSlipAsync);
        officer.MapGet("/ho-so/{id:guid}/phieu-kiem-soat.pdf", ControlSheetAsync);
        officer.MapGet("/so-theo-doi.pdf", (HttpContext http, DossierSlips slips, SlipRenderer renderer, CancellationToken ct) => RegisterAsync(http, slips, renderer, pdf: true, ct));
        officer.MapGet("/so-theo-doi.xlsx", (HttpContext http, DossierSlips slips, SlipRenderer renderer, CancellationToken ct) => RegisterAsync(http, slips, renderer, pdf: false, ct));
        app.MapGet("/ho-so-cua-toi/{id:guid}/phieu/{actionId:long}.pdf", CitizenSlipAsync).RequireAuthorization().ExcludeFromDescription();
        api.MapGroup("/backoffice").RequireAuthorization(Policies.Officer).WithTags("BackOffice")
            .MapGet("/dossiers/{id:guid}/slips/{actionId:long}", OfficerSlipAsync).WithName("GetDossierSlip")
            .WithSummary("Phiếu (PDF) mà một thao tác đã phát hành: Mẫu 01 tiếp nhận, 02 bổ sung, 03 từ chối, 04 xin lỗi, 05 dừng giải quyết")
            .Produces(StatusCodes.Status200OK, contentType: SlipRenderer.PdfContentType).Produces(StatusCodes.Status404NotFound);
    }

    private static string LookupBase(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    private static IResult Inline(HttpContext http, byte[] pdf, string fileName)
    {
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        return Results.File(pdf, SlipRenderer.PdfContentType);
    }

    private static async Task<IResult> OfficerSlipAsync(Guid id, long actionId, HttpContext http, DossierProcessing processing, DossierSlips slips, CancellationToken cancellationToken)
    {
        var found = await processing.FindAsync(http.User, id, cancellationToken);
        var slip = found is null ? null : await slips.SlipAsync(found.Dossier, actionId, LookupBase(http.Request), cancellationToken);
        return slip is { } s ? Inline(http, s.Pdf, s.FileName) : Results.NotFound();
    }

    private static async Task<IResult> ControlSheetAsync(Guid id, HttpContext http, DossierProcessing processing, DossierSlips slips, CancellationToken cancellationToken)
    {
        var found = await processing.FindAsync(http.User, id, cancellationToken);
        if (found is null)
        {
            return Results.NotFound();
        }

        var (pdf, name) = await slips.ControlSheetAsync(found.Dossier, found.Process, LookupBase(http.Request), cancellationToken);
        return Inline(http, pdf, name);
    }

    private static async Task<IResult> CitizenSlipAsync(Guid id, long actionId, HttpContext http, AppDbContext db, DossierSlips slips, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(http.User).AsNoTracking().Include(d => d.Files).Include(d => d.Actions).AsSplitQuery()
            .FirstOrDefaultAsync(d => d.Id == id && d.Status != DossierStatus.Draft, cancellationToken);
        var slip = dossier is null ? null : await slips.SlipAsync(dossier, actionId, LookupBase(http.Request), cancellationToken);
        return slip is { } s ? Inline(http, s.Pdf, s.FileName) : Results.NotFound();
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, DossierSlips slips, SlipRenderer renderer, bool pdf, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var (request, errors) = await slips.CheckAsync(http.User, query["co-quan"], query["tu"], query["den"], cancellationToken);
        if (request is null)
        {
            return Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "Chưa in được sổ theo dõi hồ sơ");
        }

        var data = await slips.RegisterAsync(request, cancellationToken);
        var name = $"so-theo-doi-{request.Agency.Code}-{request.From:yyyyMMdd}-{request.To:yyyyMMdd}";
        return pdf
            ? Inline(http, renderer.RegisterPdf(data), name + ".pdf")
            : Results.File(renderer.RegisterXlsx(data), SlipRenderer.XlsxContentType, name + ".xlsx");
    }
}
