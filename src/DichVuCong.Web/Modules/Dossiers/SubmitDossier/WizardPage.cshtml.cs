using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers.EForms;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.SubmitDossier;

/// <summary>
/// <c>/nop-ho-so/{id}/{step}</c>: the draft, one topic per page. Every post saves what was typed, valid or not
/// ("Lưu lại" stays, "Tiếp tục" checks and moves on), so nothing is lost; "Gửi đi" on the review page checks
/// everything, gives the code and submits once however many times it is pressed.
/// </summary>
[Authorize]
[RequestSizeLimit(64 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 64 * 1024 * 1024)]
internal sealed class WizardPageModel(AppDbContext db, DossierSubmission submission, CatalogIndex catalog, EFormRegistry eforms, AttachFile.DossierUploads uploads, PersonalStore.PersonalDocuments store, TimeProvider time) : PageModel
{
    [FromRoute] public string Step { get; set; } = Wizard.Steps[0].Slug;

    [BindProperty] public string? ApplicantName { get; set; }
    [BindProperty] public string? ApplicantId { get; set; }
    [BindProperty] public string? ApplicantBirthDate { get; set; }
    [BindProperty] public string? ApplicantPhone { get; set; }
    [BindProperty] public string? ApplicantEmail { get; set; }
    [BindProperty] public string? ApplicantAddress { get; set; }
    [BindProperty] public bool OnBehalf { get; set; }
    [BindProperty] public string? Delivery { get; set; }
    [BindProperty] public string? DeliveryAddress { get; set; }
    [BindProperty] public string? SubmitKey { get; set; }
    [BindProperty] public string? Then { get; set; }

    public Dossier Dossier { get; private set; } = null!;
    public ProcedureEntry? Procedure { get; private set; }
    public string AgencyName { get; private set; } = string.Empty;
    public AppUser Owner { get; private set; } = null!;
    public List<(string Step, string Key, string Message)> Problems { get; private set; } = [];

    [TempData] public string? Notice { get; set; }

    public EForm? EForm { get; private set; }

    /// <summary>The e-form with the values to show: the saved ones, or what was just posted.</summary>
    public EFormView? EFormView { get; private set; }

    public (string Slug, string Title)[] Steps => Wizard.StepsFor(EForm);

    public List<Wizard.Component> Components { get; private set; } = [];

    /// <summary>On the review step: the phí, lệ phí the dossier will owe if sent today; null when the procedure has no fee schedule.</summary>
    public FeeQuote? Fee { get; private set; }

    /// <summary>Still-valid documents of the person's data store that fit a component, by component id.</summary>
    public Dictionary<int, List<PersonalDocument>> Offers { get; private set; } = [];

    public int StepIndex => Array.FindIndex(Steps, s => s.Slug == Step);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } answer)
        {
            return answer;
        }

        Fill();
        if (Step == Wizard.Review)
        {
            Problems = Wizard.Check(Dossier, Owner.Kind, EForm, Components, Common.Time.VietnamTime.Today(time));
            SubmitKey = Guid.NewGuid().ToString("N");
            Fee = await QuoteAsync(cancellationToken);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } answer)
        {
            return answer;
        }

        var now = time.GetUtcNow().UtcDateTime;
        List<(string Key, string Message)> errors;
        if (Step == "nguoi-nop")
        {
            var a = Wizard.ApplicantOf(ApplicantName, ApplicantId, Formats.ParseDate(ApplicantBirthDate), ApplicantPhone, ApplicantEmail, ApplicantAddress, OnBehalf, Owner);
            Dossier.SetApplicant(a);
            errors = [.. Wizard.CheckApplicant(a, Owner.Kind)];
            if (!string.IsNullOrWhiteSpace(ApplicantBirthDate) && a.BirthDate is null)
            {
                errors.Add(("ApplicantBirthDate", "Nhập ngày sinh đúng dạng ngày/tháng/năm, ví dụ 05/09/1995"));
            }
        }
        else if (Step == Wizard.EFormStep && EForm is not null)
        {
            var posted = EFormRegistry.FromForm(Request.Form);
            var result = EForm.Validate(posted, Common.Time.VietnamTime.Today(time));
            // Valid values are kept normalised; otherwise what was typed is kept as typed, so nothing is lost.
            Dossier.EFormJson = result.IsValid ? result.ToJson() : System.Text.Json.JsonSerializer.Serialize(posted);
            EFormView = new EFormView(EForm, posted);
            errors = [];
            if (Then == "tiep")
            {
                EFormRegistry.AddErrors(result, ModelState);
            }
        }
        else if (Step == Wizard.FilesStep)
        {
            errors = [.. Wizard.CheckFiles(Dossier, EForm, Components)];
            await LoadFilesAsync(cancellationToken);
        }
        else if (Step == "nhan-ket-qua")
        {
            Dossier.SetDelivery(DossierView.ParseDelivery(Delivery), DeliveryAddress);
            errors = [.. Wizard.CheckDelivery(Dossier.Delivery, Dossier.DeliveryAddress)];
        }
        else
        {
            return NotFound();
        }

        Dossier.Touch(now);
        await db.SaveChangesAsync(cancellationToken);
        if (Then != "tiep")
        {
            Notice = "Đã lưu. Bạn có thể tiếp tục sau trong Hồ sơ của tôi.";
            return Redirect($"/nop-ho-so/{id}/{Step}");
        }

        foreach (var (key, message) in errors)
        {
            ModelState.AddModelError(key, message);
        }

        return ModelState.IsValid ? Redirect($"/nop-ho-so/{id}/{Steps[StepIndex + 1].Slug}") : Page();
    }

    /// <summary>Attaches the chosen files to a component; each refused file is named with the reason.</summary>
    public async Task<IActionResult> OnPostUploadAsync(Guid id, int componentId, List<IFormFile> files, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } answer)
        {
            return answer;
        }

        if (files.Count == 0)
        {
            ModelState.AddModelError("file-" + componentId, "Chọn tệp để tải lên");
        }

        var added = 0;
        foreach (var file in files)
        {
            await using var content = file.OpenReadStream();
            var result = await uploads.AttachAsync(Dossier, componentId, file.FileName, content, cancellationToken);
            if (result.Succeeded)
            {
                added++;
            }
            else
            {
                ModelState.AddModelError("file-" + componentId, result.Error!);
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadFilesAsync(cancellationToken);
            return Page();
        }

        Notice = added == 1 ? "Đã tải lên 1 tệp." : $"Đã tải lên {added} tệp.";
        return Redirect($"/nop-ho-so/{id}/{Wizard.FilesStep}#tp-{componentId}");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, Guid fileId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } answer)
        {
            return answer;
        }

        Notice = await uploads.RemoveAsync(Dossier, fileId, cancellationToken) ? "Đã xóa tệp." : null;
        return Redirect($"/nop-ho-so/{id}/{Wizard.FilesStep}");
    }

    /// <summary>Attaches a document kept in the person's data store instead of a new upload.</summary>
    public async Task<IActionResult> OnPostReuseAsync(Guid id, int componentId, Guid documentId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } answer)
        {
            return answer;
        }

        var result = await uploads.AttachFromStoreAsync(Dossier, componentId, documentId, cancellationToken);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("file-" + componentId, result.Error!);
            await LoadFilesAsync(cancellationToken);
            return Page();
        }

        Notice = "Đã dùng giấy tờ trong kho dữ liệu của bạn.";
        return Redirect($"/nop-ho-so/{id}/{Wizard.FilesStep}#tp-{componentId}");
    }

    private async Task LoadFilesAsync(CancellationToken cancellationToken)
    {
        Step = Wizard.FilesStep;
        foreach (var c in Components.Where(c => !Wizard.CoveredByEForm(c, EForm)))
        {
            Offers[c.Id] = await store.OffersAsync(Dossier.OwnerId, c.Name, cancellationToken);
        }
    }

    /// <summary>Fills the applicant from the account, at the person's request (their consent).</summary>
    public async Task<IActionResult> OnPostPrefillAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } answer)
        {
            return answer;
        }

        var a = Dossier.Applicant;
        a.FullName = Owner.FullName;
        a.IdentityNumber = Owner.CitizenId ?? Owner.TaxCode;
        a.BirthDate = Owner.BirthDate;
        a.Phone = Owner.PhoneNumber;
        a.Email = Owner.Email;
        a.Address = Owner.Address;
        a.OnBehalf = false;
        a.AgentName = null;
        a.AgentIdentityNumber = null;
        Dossier.Touch(time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        Notice = "Đã điền thông tin từ tài khoản của bạn. Kiểm tra và sửa nếu cần.";
        return Redirect($"/nop-ho-so/{id}/nguoi-nop");
    }

    public async Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken cancellationToken)
    {
        var submitted = await db.Dossiers.OwnedBy(User).Where(d => d.Id == id || (SubmitKey != null && d.SubmitKey == SubmitKey))
            .Where(d => d.Status != DossierStatus.Draft).Select(d => d.Id).FirstOrDefaultAsync(cancellationToken);
        if (submitted != Guid.Empty)
        {
            return Redirect($"/nop-ho-so/{submitted}/{Wizard.Done}");
        }

        if (await LoadAsync(id, cancellationToken) is { } answer)
        {
            // Sent by another press between the check above and the load: show it as sent, like that press does.
            return Dossier is { IsDraft: false } ? Redirect($"/nop-ho-so/{id}/{Wizard.Done}") : answer;
        }

        Step = Wizard.Review;
        Fill();
        Problems = await submission.SendAsync(Dossier, Owner, AccountStatus.MaySubmit(User), SubmitKey, cancellationToken);
        if (Problems.Count == 0)
        {
            return Redirect($"/nop-ho-so/{id}/{Wizard.Done}");
        }

        Fee = await QuoteAsync(cancellationToken);
        return Page();
    }

    private Task<FeeQuote?> QuoteAsync(CancellationToken cancellationToken) =>
        Fees.QuoteAsync(db, Dossier.ProcedureId, DossierSubmission.FeeInputOf(Dossier, Common.Time.VietnamTime.Today(time)), cancellationToken);

    /// <summary>The owner's dossier and what the page shows; another person's dossier is not found.</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var dossier = await db.Dossiers.OwnedBy(User).Include(d => d.Files).FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dossier is null)
        {
            return NotFound();
        }

        Dossier = dossier;
        var snapshot = await catalog.GetAsync(cancellationToken);
        Procedure = snapshot.Procedures.FirstOrDefault(p => p.Id == dossier.ProcedureId);
        EForm = Procedure is null ? null : eforms.Find(Procedure.Code);
        EFormView = EForm is null ? null : new EFormView(EForm, EFormRegistry.FromJson(dossier.EFormJson));
        if (Step != Wizard.Done && StepIndex < 0)
        {
            return NotFound();
        }

        Owner = await db.Users.SingleAsync(u => u.Id == dossier.OwnerId, cancellationToken);
        Components = await DossierSubmission.ComponentsAsync(db, dossier.ProcedureId, cancellationToken);
        if (Step == Wizard.FilesStep && HttpMethods.IsGet(Request.Method))
        {
            await LoadFilesAsync(cancellationToken);
        }
        AgencyName = snapshot.Agencies.Find(dossier.AgencyId)?.Name ?? string.Empty;
        if (Step == Wizard.Done)
        {
            return dossier.IsDraft ? Redirect($"/nop-ho-so/{id}/{Wizard.Review}") : null;
        }

        return dossier.IsDraft ? null : Redirect($"/ho-so-cua-toi/{id}");
    }

    private void Fill()
    {
        var a = Dossier.Applicant;
        ApplicantName ??= a.FullName;
        ApplicantId ??= a.IdentityNumber;
        ApplicantBirthDate ??= Wizard.Date(a.BirthDate);
        ApplicantPhone ??= a.Phone;
        ApplicantEmail ??= a.Email;
        ApplicantAddress ??= a.Address;
        OnBehalf = OnBehalf || a.OnBehalf;
        Delivery ??= DossierView.DeliveryCode(Dossier.Delivery);
        DeliveryAddress ??= Dossier.DeliveryAddress;
    }
}
