using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Notifications.EditTemplates;

/// <summary>
/// <c>/quan-tri/mau-thong-bao</c> (Mẫu thông báo): the wording of what applicants are told at each change of their
/// dossier, by e-mail, SMS and in the notification centre. A system administrator edits one with a preview on sample
/// data; a typo in a placeholder or an SMS too long for one message is refused with what was typed kept; "Khôi phục
/// mặc định" brings back the shipped wording.
/// </summary>
[Authorize(Policy = Policies.SystemAdmin)]
internal sealed class EditTemplatesPageModel(AppDbContext db, NoticeTemplates templates, TimeProvider time) : PageModel
{
    /// <summary>The data the preview fills the template with.</summary>
    public static readonly (NoticeRecipient To, NoticeFacts Facts) Sample = (
        new NoticeRecipient(Guid.Empty, "Nguyễn Văn An", "an@example.vn", "0912345678"),
        new NoticeFacts(
            Guid.Empty, "000.00.01.H99-261203-0001", "Đăng ký khai sinh", "UBND phường Nam Hà", new DateTime(2026, 12, 3, 2, 30, 0, DateTimeKind.Utc),
            DueAt: new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc), Reason: "Giấy tờ chưa đúng mẫu", Missing: ["Bản sao Giấy chứng nhận kết hôn", "Tờ khai có chữ ký"],
            Note: "Ảnh chụp bị mờ, chụp lại rõ nét.", Amount: 8_000, Tracking: "EP123456789VN"));

    [FromRoute(Name = "kind")] public string? KindName { get; set; }

    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Sms { get; set; }
    [BindProperty] public string? InApp { get; set; }

    public IReadOnlyDictionary<NoticeKind, NoticeTemplate> All { get; private set; } = new Dictionary<NoticeKind, NoticeTemplate>();
    public HashSet<NoticeKind> Edited { get; private set; } = [];
    public NoticeKind? Kind { get; private set; }
    [TempData] public string? Done { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }

        if (Kind is { } kind)
        {
            var t = All[kind];
            (Subject, Email, Sms, InApp) = (t.Subject, t.Email, t.Sms, t.InApp);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Kind is not { } kind)
        {
            return NotFound();
        }

        Check(nameof(Subject), Subject, 300);
        Check(nameof(Email), Email, 4000);
        Check(nameof(Sms), Sms, 400);
        Check(nameof(InApp), InApp, 1000);
        if (ModelState.IsValid && NoticeTemplates.SmsLength(Sms!, Sample.To, Sample.Facts) is var length && length > NoticeTemplates.SmsMax)
        {
            ModelState.AddModelError(nameof(Sms), $"Tin nhắn dài quá: với dữ liệu mẫu là {length} ký tự, tối đa {NoticeTemplates.SmsMax} (một tin SMS). Hãy viết gọn lại.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var row = await db.Set<NoticeTemplate>().FirstOrDefaultAsync(t => t.Kind == kind, cancellationToken);
        if (row is null)
        {
            row = new NoticeTemplate { Kind = kind, Name = NoticeTemplates.Default(kind).Name };
            db.Add(row);
        }

        (row.Subject, row.Email, row.Sms, row.InApp) = (Subject!.Trim(), Email!.Trim(), Sms!.Trim(), InApp!.Trim());
        (row.UpdatedAt, row.UpdatedBy) = (time.GetUtcNow().UtcDateTime, UserClaims.Id(User));
        await db.SaveChangesAsync(cancellationToken);
        templates.Forget();
        Done = $"Đã lưu mẫu “{row.Name}”. Các thông báo từ bây giờ dùng nội dung mới.";
        return Redirect("/quan-tri/mau-thong-bao/" + KindName);
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Kind is not { } kind)
        {
            return NotFound();
        }

        await db.Set<NoticeTemplate>().Where(t => t.Kind == kind).ExecuteDeleteAsync(cancellationToken);
        templates.Forget();
        Done = $"Đã khôi phục nội dung mặc định của mẫu “{NoticeTemplates.Default(kind).Name}”.";
        return Redirect("/quan-tri/mau-thong-bao/" + KindName);
    }

    /// <summary>The typed texts filled with <see cref="Sample"/>, or null while one is empty.</summary>
    public (string Subject, string Email, string Sms, string InApp)? Preview() =>
        Kind is { } kind && !string.IsNullOrWhiteSpace(Subject) && !string.IsNullOrWhiteSpace(Email) && !string.IsNullOrWhiteSpace(Sms) && !string.IsNullOrWhiteSpace(InApp)
            ? NoticeTemplates.Render(new NoticeTemplate { Kind = kind, Subject = Subject, Email = Email, Sms = Sms, InApp = InApp }, Sample.To, Sample.Facts)
            : null;

    public static string Slug(NoticeKind kind) => kind.ToString().ToLowerInvariant();

    private void Check(string name, string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            ModelState.AddModelError(name, "Không được để trống.");
        }
        else if (text.Length > max)
        {
            ModelState.AddModelError(name, $"Dài quá {Common.Web.Formats.Number(max)} ký tự; hãy viết gọn lại.");
        }
        else if (NoticeTemplates.Unknown(text) is { Count: > 0 } unknown)
        {
            ModelState.AddModelError(name, $"Không có biến {string.Join(", ", unknown.Select(u => "{" + u + "}"))}. Các biến dùng được: {string.Join(", ", NoticeTemplates.Placeholders.Keys.Select(k => "{" + k + "}"))}.");
        }
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        All = await templates.AllAsync(db, cancellationToken);
        Edited = [.. await db.Set<NoticeTemplate>().AsNoTracking().Select(t => t.Kind).ToListAsync(cancellationToken)];
        if (KindName is null)
        {
            return true;
        }

        Kind = Enum.GetValues<NoticeKind>().Cast<NoticeKind?>().FirstOrDefault(k => Slug(k!.Value) == KindName);
        return Kind is not null;
    }
}
