using System.Text.Json;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers.EForms;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.SubmitDossier;

internal sealed record StartRequest(string ProcedureCode, string? AgencyCode);

internal sealed record ApplicantRequest(string? FullName, string? IdentityNumber, DateOnly? BirthDate, string? Phone, string? Email, string? Address, bool OnBehalf);

internal sealed record DeliveryRequest(string? Method, string? Address);

/// <summary>A whole dossier in one call: the multipart part <c>dossier</c> holds this as JSON; each file is a part named <c>component-{id}</c>.</summary>
internal sealed record WholeDossierRequest(string? ProcedureCode, string? AgencyCode, ApplicantRequest? Applicant, Dictionary<string, string?>? EForm, DeliveryRequest? Delivery);

/// <summary>The wizard over HTTP for other clients (a mobile app, a kiosk): start, fill each part, send once.</summary>
internal static class SubmitDossierEndpoints
{
    public static void MapSubmitDossier(this IEndpointRouteBuilder api)
    {
        var dossiers = api.MapGroup("/dossiers").RequireAuthorization().DisableAntiforgery();
        dossiers.MapPost("/", StartAsync).WithName("StartDossier").WithSummary("Tạo hồ sơ nháp cho một thủ tục tại một cơ quan tiếp nhận");
        dossiers.MapPut("/{id:guid}/applicant", ApplicantAsync).WithName("PutApplicant").WithSummary("Lưu thông tin người nộp hồ sơ");
        dossiers.MapPut("/{id:guid}/eform", EFormAsync).WithName("PutEForm").WithSummary("Lưu tờ khai điện tử: một đối tượng JSON theo tên trường của GET /procedures/{code}/eform");
        dossiers.MapPost("/{id:guid}/files", UploadAsync).WithName("UploadDossierFile").WithSummary("Tải lên một tệp (multipart: componentId, file) cho một thành phần hồ sơ").WithMetadata(new RequestSizeLimitAttribute(64 * 1024 * 1024));
        dossiers.MapDelete("/{id:guid}/files/{fileId:guid}", RemoveFileAsync).WithName("RemoveDossierFile").WithSummary("Xóa một tệp khỏi hồ sơ nháp");
        dossiers.MapPut("/{id:guid}/delivery", DeliveryAsync).WithName("PutDelivery").WithSummary("Lưu hình thức nhận kết quả: at_desk, post (kèm địa chỉ) hoặc online");
        dossiers.MapPost("/submit", SubmitWholeAsync).WithName("SubmitWholeDossier")
            .WithSummary("Nộp trọn một hồ sơ trong một lần gọi (multipart: phần dossier là JSON {procedureCode, agencyCode, applicant, eform, delivery}, mỗi tệp là một phần tên component-{id}); không tạo gì nếu có lỗi; cùng Idempotency-Key thì chỉ tạo một hồ sơ")
            .Accepts<IFormFileCollection>("multipart/form-data").WithMetadata(new RequestSizeLimitAttribute(64 * 1024 * 1024));
        dossiers.MapPost("/{id:guid}/submit", SubmitAsync).WithName("SubmitDossier").WithSummary("Gửi hồ sơ; cùng Idempotency-Key thì chỉ tạo một hồ sơ");
    }

    private static async Task<Results<Created<DossierView>, ValidationProblem>> StartAsync(StartRequest request, HttpContext http, AppDbContext db, CatalogIndex catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var (procedure, agency, error) = await ReceiverAsync(catalog, request.ProcedureCode, request.AgencyCode, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var draft = Dossier.StartDraft(DossierAccess.OwnerId(http.User)!.Value, procedure!.Id, agency!.Id, time.GetUtcNow().UtcDateTime);
        db.Dossiers.Add(draft);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/dossiers/{draft.Id}", DossierView.Of(draft, procedure.Code, agency.Code));
    }

    /// <summary>The procedure (offered online) and the receiving agency a client named, or the problem to answer.</summary>
    private static async Task<(ProcedureEntry? Procedure, AgencyNode? Agency, ValidationProblem? Error)> ReceiverAsync(
        CatalogIndex catalog, string? procedureCode, string? agencyCode, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        var procedure = snapshot.Procedures.FirstOrDefault(p => p.Code == procedureCode?.Trim());
        if (procedure is null || procedure.OnlineLevel == OnlineLevel.None)
        {
            return (null, null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["procedureCode"] = ["Không có thủ tục nộp trực tuyến với mã này"] }));
        }

        var receivers = procedure.AgencyIds.Select(snapshot.Agencies.Find).OfType<AgencyNode>().ToList();
        var agency = agencyCode is null && receivers.Count == 1 ? receivers[0] : receivers.FirstOrDefault(a => a.Code == agencyCode?.Trim());
        return agency is null
            ? (procedure, null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["agencyCode"] = [$"Chọn cơ quan tiếp nhận: {string.Join(", ", receivers.Select(r => r.Code))}"] }))
            : (procedure, agency, null);
    }

    /// <summary>
    /// The whole wizard in one request, for clients that hold everything already (a kiosk that scanned the papers, a mobile
    /// app): the dossier is checked as "Gửi đi" checks it, its files as uploads are, and it is saved already sent, in one
    /// transaction, or not at all (a refused request leaves no draft and no file). A repeated Idempotency-Key answers the
    /// dossier the first call made.
    /// </summary>
    private static async Task<Results<Created<DossierView>, Ok<DossierView>, ValidationProblem>> SubmitWholeAsync(
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, HttpContext http, AppDbContext db, CatalogIndex catalog, EFormRegistry eforms,
        AttachFile.DossierUploads uploads, DossierSubmission submission, IFileStore store, TimeProvider time, ILogger<DossierSubmission> logger, CancellationToken cancellationToken)
    {
        var ownerId = DossierAccess.OwnerId(http.User)!.Value;
        var key = IdempotencyKey(idempotencyKey);
        if (key is not null && await SentWithKeyAsync(db, catalog, ownerId, key, cancellationToken) is { } earlier)
        {
            return TypedResults.Ok(earlier);
        }

        WholeDossierRequest? request = null;
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(cancellationToken) : null;
        try
        {
            request = form?["dossier"] is [{ } json] ? JsonSerializer.Deserialize<WholeDossierRequest>(json, JsonSerializerOptions.Web) : null;
        }
        catch (JsonException)
        {
        }

        if (form is null || request is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["dossier"] = ["Gửi multipart/form-data: phần “dossier” là JSON {procedureCode, agencyCode, applicant, eform, delivery}, mỗi tệp là một phần tên component-{id}"] });
        }

        var (procedure, agency, error) = await ReceiverAsync(catalog, request.ProcedureCode, request.AgencyCode, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var owner = await db.Users.SingleAsync(u => u.Id == ownerId, cancellationToken);
        var dossier = Dossier.StartDraft(ownerId, procedure!.Id, agency!.Id, time.GetUtcNow().UtcDateTime);
        dossier.SetApplicant(ToApplicant(request.Applicant ?? new ApplicantRequest(null, null, null, null, null, null, false), owner));
        if (eforms.Find(procedure.Code) is { } eform)
        {
            dossier.EFormJson = eform.Validate(request.EForm ?? [], Common.Time.VietnamTime.Today(time)).ToJson();
        }

        dossier.SetDelivery(DossierView.ParseDelivery(request.Delivery?.Method), request.Delivery?.Address);

        var components = await DossierSubmission.ComponentsAsync(db, procedure.Id, cancellationToken);
        var errors = new Dictionary<string, List<string>>();
        try
        {
            foreach (var upload in form.Files)
            {
                var component = upload.Name.StartsWith("component-", StringComparison.Ordinal) && int.TryParse(upload.Name.AsSpan(10), out var componentId)
                    ? components.FirstOrDefault(c => c.Id == componentId) : null;
                if (component is null)
                {
                    Add(errors, upload.Name, $"Phần “{upload.Name}” không ứng với thành phần hồ sơ nào của thủ tục (tên phần: component-{{id}}, id theo GET /api/v1/procedures/{procedure.Code})");
                    continue;
                }

                await using var content = upload.OpenReadStream();
                var result = await uploads.StoreAsync(dossier.Id, component.Id, component.Name, [.. dossier.Files.Select(f => new AttachFile.DossierUploads.ExistingFile(f.ComponentId, f.Size))], upload.FileName, content, cancellationToken);
                if (result.Succeeded)
                {
                    dossier.Files.Add(result.File!);
                }
                else
                {
                    Add(errors, upload.Name, result.Error!);
                }
            }

            // A refused file still lets the rest be checked, so the client hears of every problem at once.
            List<(string Step, string Key, string Message)> problems;
            if (errors.Count == 0)
            {
                db.Dossiers.Add(dossier);
                problems = await submission.SendAsync(dossier, owner, AccountStatus.MaySubmit(http.User), key, cancellationToken, components);
            }
            else
            {
                problems = Wizard.Check(dossier, owner.Kind, eforms.Find(procedure.Code), components, Common.Time.VietnamTime.Today(time));
            }

            foreach (var (step, field, message) in problems)
            {
                if (!errors.ContainsKey(WholeKey(step, field)))
                {
                    Add(errors, WholeKey(step, field), message);
                }
            }
        }
        catch (DbUpdateException) when (key is not null)
        {
            // The same key sent twice at once: the unique (owner, key) index let one through; answer that one.
            db.ChangeTracker.Clear();
            await DeleteStoredAsync(store, dossier, logger);
            return await SentWithKeyAsync(db, catalog, ownerId, key, cancellationToken) is { } first ? TypedResults.Ok(first) : throw new InvalidOperationException("A dossier with this key was neither saved nor found.");
        }
        catch
        {
            await DeleteStoredAsync(store, dossier, logger);
            throw;
        }

        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear();
            await DeleteStoredAsync(store, dossier, logger);
            return TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "Hồ sơ chưa gửi được");
        }

        return TypedResults.Created($"/api/v1/dossiers/{dossier.Id}", DossierView.Of(dossier, procedure.Code, agency.Code));
    }

    private static void Add(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        list.Add(message);
    }

    /// <summary>A problem of the whole-dossier call under the name the client used: applicant.*, e-form field names, component-{id}, delivery.*.</summary>
    private static string WholeKey(string step, string key) => step switch
    {
        "nguoi-nop" => "applicant." + ApiKey(key),
        "nhan-ket-qua" => "delivery." + ApiKey(key),
        Wizard.FilesStep when key.StartsWith("file-", StringComparison.Ordinal) => "component-" + key[5..],
        _ => key,
    };

    private static async Task DeleteStoredAsync(IFileStore store, Dossier dossier, ILogger logger)
    {
        foreach (var file in dossier.Files)
        {
            await store.DeleteOrLeaveToSweeperAsync(file.StoragePath, logger);
        }
    }

    private static string? IdempotencyKey(string? header) =>
        string.IsNullOrWhiteSpace(header) ? null : header.Trim()[..Math.Min(100, header.Trim().Length)];

    private static async Task<DossierView?> SentWithKeyAsync(AppDbContext db, CatalogIndex catalog, Guid ownerId, string key, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.AsNoTracking().Include(d => d.Files).Include(d => d.Events).AsSplitQuery()
            .FirstOrDefaultAsync(d => d.OwnerId == ownerId && d.SubmitKey == key, cancellationToken);
        return dossier is null ? null : await ViewAsync(dossier, db, catalog, cancellationToken);
    }

    private static async Task<Results<Ok<DossierView>, NotFound, ValidationProblem, Conflict<ProblemDetails>>> ApplicantAsync(Guid id, ApplicantRequest request, HttpContext http, AppDbContext db, CatalogIndex catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        return await ChangeDraftAsync(id, http, db, catalog, time, (dossier, owner) =>
        {
            var a = ToApplicant(request, owner);
            var errors = Wizard.CheckApplicant(a, owner.Kind).ToList();
            if (errors.Count == 0)
            {
                dossier.SetApplicant(a);
            }

            return Task.FromResult(errors);
        }, cancellationToken);
    }

    private static Applicant ToApplicant(ApplicantRequest request, AppUser owner) =>
        Wizard.ApplicantOf(request.FullName, request.IdentityNumber, request.BirthDate, request.Phone, request.Email, request.Address, request.OnBehalf, owner);

    private static async Task<Results<Ok<DossierView>, NotFound, ValidationProblem, Conflict<ProblemDetails>>> EFormAsync(Guid id, Dictionary<string, string?> values, HttpContext http, AppDbContext db, CatalogIndex catalog, CatalogNames names, EFormRegistry eforms, TimeProvider time, CancellationToken cancellationToken)
    {
        ValidationProblem? problem = null;
        var answer = await ChangeDraftAsync(id, http, db, catalog, time, async (dossier, _) =>
        {
            var form = await names.EFormOfAsync(dossier, eforms, cancellationToken);
            if (form is null)
            {
                return [("eform", "Thủ tục này không có tờ khai điện tử")];
            }

            var result = form.Validate(values, Common.Time.VietnamTime.Today(time));
            if (!result.IsValid)
            {
                problem = EFormRegistry.ToProblem(result);
                return [("eform", "invalid")];
            }

            dossier.EFormJson = result.ToJson();
            return [];
        }, cancellationToken);
        return problem is not null ? problem : answer;
    }

    private static async Task<Results<Ok<DossierView>, NotFound, ValidationProblem, Conflict<ProblemDetails>>> DeliveryAsync(Guid id, DeliveryRequest request, HttpContext http, AppDbContext db, CatalogIndex catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        return await ChangeDraftAsync(id, http, db, catalog, time, (dossier, _) =>
        {
            // A refused choice is not saved: ChangeDraftAsync answers the problems before it saves.
            dossier.SetDelivery(DossierView.ParseDelivery(request.Method), request.Address);
            return Task.FromResult(Wizard.CheckDelivery(dossier.Delivery, dossier.DeliveryAddress).ToList());
        }, cancellationToken);
    }

    private static async Task<Results<Created<DossierFileView>, NotFound, ValidationProblem, Conflict<ProblemDetails>>> UploadAsync(
        Guid id, [FromForm] int componentId, IFormFile? file, HttpContext http, AppDbContext db, AttachFile.DossierUploads uploads, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(http.User).Include(d => d.Files).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dossier is null)
        {
            return TypedResults.NotFound();
        }

        if (!dossier.TakesFiles)
        {
            return SentAlready();
        }

        if (file is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Chọn tệp để tải lên"] });
        }

        await using var content = file.OpenReadStream();
        var result = await uploads.AttachAsync(dossier, componentId, file.FileName, content, cancellationToken);
        if (!result.Succeeded)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = [result.Error!] });
        }

        var f = result.File!;
        return TypedResults.Created($"/api/v1/dossiers/{id}/files/{f.Id}", new DossierFileView(f.Id, f.ComponentId, f.FileName, f.ContentType, f.Size));
    }

    private static async Task<Results<NoContent, NotFound>> RemoveFileAsync(Guid id, Guid fileId, HttpContext http, AppDbContext db, AttachFile.DossierUploads uploads, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(http.User).Include(d => d.Files).FirstOrDefaultAsync(d => d.Id == id && d.Status == DossierStatus.Draft, cancellationToken);
        return dossier is not null && await uploads.RemoveAsync(dossier, fileId, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<DossierView>, NotFound, ValidationProblem>> SubmitAsync(
        Guid id, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, HttpContext http, AppDbContext db, CatalogIndex catalog, DossierSubmission submission, CancellationToken cancellationToken)
    {
        var key = IdempotencyKey(idempotencyKey);
        var dossier = await db.Dossiers.OwnedBy(http.User).Include(d => d.Files).Include(d => d.Events).AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dossier is null)
        {
            return TypedResults.NotFound();
        }

        if (dossier.IsDraft)
        {
            var owner = await db.Users.SingleAsync(u => u.Id == dossier.OwnerId, cancellationToken);
            var problems = await submission.SendAsync(dossier, owner, AccountStatus.MaySubmit(http.User), key, cancellationToken);
            if (problems.Count > 0)
            {
                return TypedResults.ValidationProblem(problems.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()), title: "Hồ sơ chưa gửi được");
            }

            db.ChangeTracker.Clear();
            dossier = await db.Dossiers.Include(d => d.Files).Include(d => d.Events).AsSplitQuery().SingleAsync(d => d.Id == id, cancellationToken);
        }

        return TypedResults.Ok(await ViewAsync(dossier, db, catalog, cancellationToken));
    }

    private static async Task<Results<Ok<DossierView>, NotFound, ValidationProblem, Conflict<ProblemDetails>>> ChangeDraftAsync(
        Guid id, HttpContext http, AppDbContext db, CatalogIndex catalog, TimeProvider time, Func<Dossier, AppUser, Task<List<(string Key, string Message)>>> change, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(http.User).Include(d => d.Files).Include(d => d.Events).AsSplitQuery().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dossier is null)
        {
            return TypedResults.NotFound();
        }

        if (!dossier.IsDraft)
        {
            return SentAlready();
        }

        var owner = await db.Users.SingleAsync(u => u.Id == dossier.OwnerId, cancellationToken);
        var errors = await change(dossier, owner);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors.GroupBy(e => ApiKey(e.Key)).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        }

        dossier.Touch(time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ViewAsync(dossier, db, catalog, cancellationToken));
    }

    private static Conflict<ProblemDetails> SentAlready() =>
        TypedResults.Conflict(new ProblemDetails { Title = "Hồ sơ đã gửi, không sửa được", Status = StatusCodes.Status409Conflict });

    /// <summary>The page's field names as the API's JSON names.</summary>
    private static string ApiKey(string key) => key switch
    {
        "ApplicantName" => "fullName",
        "ApplicantId" => "identityNumber",
        "ApplicantBirthDate" => "birthDate",
        "ApplicantPhone" => "phone",
        "ApplicantEmail" => "email",
        "ApplicantAddress" => "address",
        "Delivery" => "method",
        "DeliveryAddress" => "address",
        _ => key,
    };

    internal static async Task<DossierView> ViewAsync(Dossier dossier, AppDbContext db, CatalogIndex catalog, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        var procedure = snapshot.Procedures.FirstOrDefault(p => p.Id == dossier.ProcedureId)?.Code ?? string.Empty;
        var agency = snapshot.Agencies.Find(dossier.AgencyId)?.Code ?? await db.Agencies.Where(a => a.Id == dossier.AgencyId).Select(a => a.Code).SingleAsync(cancellationToken);
        return DossierView.Of(dossier, procedure, agency);
    }
}
