using System.Text.RegularExpressions;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Common.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Caching.Memory;

namespace DichVuCong.Web.Modules.Notifications;

/// <summary>The changes of a dossier its applicant is told of (SPEC §3.7), each with its own template.</summary>
internal enum NoticeKind
{
    Submitted = 1,
    Received = 2,
    SupplementRequested = 3,
    Refused = 4,
    Stopped = 5,
    Rescheduled = 6,
    AwaitingPayment = 7,
    ResultReady = 8,
    Completed = 9,

    /// <summary>The result went out by post: the tracking number to follow it with the carrier.</summary>
    ResultPosted = 10,
}

/// <summary>What a template may say about the dossier; the caller fills what its change knows.</summary>
internal sealed record NoticeFacts(
    Guid DossierId, string Code, string Procedure, string Agency, DateTime At,
    DateTime? DueAt = null, string? Reason = null, IReadOnlyList<string>? Missing = null, string? Note = null, long? Amount = null, string? Tracking = null);

/// <summary>The account told: its name, and its e-mail and phone only when verified (null otherwise).</summary>
internal sealed record NoticeRecipient(Guid UserId, string FullName, string? Email, string? Phone);

/// <summary>
/// The wording of one kind of notice for the three channels. The defaults ship in SeedData/notice-templates.json;
/// an administrator's edit is a row of this table (keyed by kind) and deleting the row restores the default.
/// </summary>
internal sealed class NoticeTemplate
{
    public NoticeKind Kind { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    /// <summary>Written with or without diacritics; sent folded to plain ASCII and cut at 160 characters.</summary>
    public string Sms { get; set; } = string.Empty;

    public string InApp { get; set; } = string.Empty;

    public DateTime? UpdatedAt { get; set; }

    public Guid? UpdatedBy { get; set; }
}

/// <summary>A message in the citizen's notification centre (<c>/thong-bao</c>), unread until opened.</summary>
internal sealed class InAppNotification
{
    public Guid Id { get; private set; } = Guid.NewGuid();

    public Guid UserId { get; private set; }

    public Guid? DossierId { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public DateTime? ReadAt { get; private set; }

    public static InAppNotification For(Guid userId, Guid? dossierId, string title, string body, DateTime now) =>
        new() { UserId = userId, DossierId = dossierId, Title = Clip(title, 300), Body = Clip(body, 2000), CreatedAt = now };

    /// <summary>The number in the header (every page of a signed-in person); reads only the (UserId, ReadAt) index.</summary>
    public static Task<int> UnreadAsync(AppDbContext db, Guid userId, CancellationToken cancellationToken) =>
        db.Set<InAppNotification>().CountAsync(n => n.UserId == userId && n.ReadAt == null, cancellationToken);

    /// <summary>Where opening it leads: the dossier in Hồ sơ của tôi, else the centre.</summary>
    public string Link => DossierId is { } id ? $"/ho-so-cua-toi/{id}" : "/thong-bao";

    private static string Clip(string text, int max) => text.Length > max ? text[..(max - 1)] + "…" : text;
}

/// <summary>
/// Renders notices from templates and queues them: an e-mail and an SMS through the outbox (each tied to the
/// dossier, so officers see whether they arrived) and an in-app message, all in the caller's unit of work, so
/// they exist exactly when the change they tell of is saved.
/// </summary>
internal sealed partial class NoticeTemplates(IMemoryCache cache)
{
    public const int SmsMax = 160;

    private const string CacheKey = "notice-templates";

    /// <summary>An edit made on another instance shows here at the latest after this long.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private static readonly IReadOnlyList<NoticeTemplate> Defaults = SeedData.Read<List<NoticeTemplate>>("notice-templates.json");

    /// <summary>Every placeholder a template may use, with what it stands for (shown to the administrator).</summary>
    public static readonly IReadOnlyDictionary<string, string> Placeholders = new Dictionary<string, string>
    {
        ["ma_ho_so"] = "mã hồ sơ",
        ["thu_tuc"] = "tên thủ tục hành chính",
        ["co_quan"] = "cơ quan giải quyết",
        ["ho_ten"] = "họ tên chủ tài khoản",
        ["thoi_gian"] = "thời điểm thay đổi (giờ:phút ngày/tháng/năm)",
        ["ngay_hen_tra"] = "ngày hẹn trả kết quả",
        ["ly_do"] = "lý do (từ chối, dừng, chậm trả)",
        ["can_bo_sung"] = "danh sách giấy tờ cần bổ sung",
        ["ghi_chu"] = "ghi chú của cán bộ",
        ["so_tien"] = "số tiền phải nộp",
        ["so_hieu_buu_gui"] = "số hiệu bưu gửi kết quả",
    };

    public static NoticeTemplate Default(NoticeKind kind) => Defaults.Single(t => t.Kind == kind);

    /// <summary>The template in force for each kind: the administrator's edit, else the default.</summary>
    public async Task<IReadOnlyDictionary<NoticeKind, NoticeTemplate>> AllAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey, out IReadOnlyDictionary<NoticeKind, NoticeTemplate>? all) && all is not null)
        {
            return all;
        }

        var edited = await db.Set<NoticeTemplate>().AsNoTracking().ToDictionaryAsync(t => t.Kind, cancellationToken);
        all = Defaults.ToDictionary(t => t.Kind, t => edited.GetValueOrDefault(t.Kind) ?? t);
        cache.Set(CacheKey, all, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = CacheFor });
        return all;
    }

    public void Forget() => cache.Remove(CacheKey);

    /// <summary>Adds the e-mail, SMS and in-app message of <paramref name="kind"/>; the caller saves.</summary>
    public async Task QueueAsync(AppDbContext db, NoticeKind kind, NoticeRecipient to, NoticeFacts facts, CancellationToken cancellationToken)
    {
        var template = (await AllAsync(db, cancellationToken))[kind];
        var (subject, email, sms, inApp) = Render(template, to, facts);
        var purpose = Purpose(kind);
        if (to.Email is { } address)
        {
            db.Add(OutboxMessage.Email(address, subject, email, purpose, facts.At).About(facts.DossierId));
        }

        if (to.Phone is { } phone)
        {
            db.Add(OutboxMessage.Sms(phone, sms, purpose, facts.At).About(facts.DossierId));
        }

        db.Add(InAppNotification.For(to.UserId, facts.DossierId, subject, inApp, facts.At));
    }

    /// <summary>What the outbox records the messages of a kind as (the workflow action's code where there is one).</summary>
    public static string Purpose(NoticeKind kind) => kind switch
    {
        NoticeKind.Submitted => "nop-ho-so",
        NoticeKind.Received => "ho-so-receive",
        NoticeKind.SupplementRequested => "ho-so-request-supplement",
        NoticeKind.Refused => "ho-so-refuse",
        NoticeKind.Stopped => "ho-so-stop",
        NoticeKind.Rescheduled => "ho-so-reschedule",
        NoticeKind.AwaitingPayment => "ho-so-awaiting-payment",
        NoticeKind.ResultReady => "ho-so-result-ready",
        NoticeKind.ResultPosted => "ho-so-posted",
        _ => "ho-so-hand-back",
    };

    /// <summary>The four texts of a template filled with the facts: the SMS folded to ASCII and at most 160 characters.</summary>
    public static (string Subject, string Email, string Sms, string InApp) Render(NoticeTemplate template, NoticeRecipient to, NoticeFacts facts)
    {
        var values = Values(to, facts);
        var sms = SmsText(template.Sms, values);
        if (sms.Length > SmsMax)
        {
            sms = sms[..(SmsMax - 3)].TrimEnd() + "...";
        }

        return (Fill(template.Subject, values).ReplaceLineEndings(" "), Fill(template.Email, values), sms, Fill(template.InApp, values));
    }

    /// <summary>How long an SMS template comes out with these facts, before any cut: the edit form refuses one over 160.</summary>
    public static int SmsLength(string template, NoticeRecipient to, NoticeFacts facts) => SmsText(template, Values(to, facts)).Length;

    private static string SmsText(string template, Dictionary<string, string> values) =>
        NonPrintable().Replace(VietnameseText.Plain(Fill(template, values)), " ");

    private static Dictionary<string, string> Values(NoticeRecipient to, NoticeFacts facts) => new()
    {
        ["ma_ho_so"] = facts.Code,
        ["thu_tuc"] = facts.Procedure,
        ["co_quan"] = facts.Agency,
        ["ho_ten"] = to.FullName,
        ["thoi_gian"] = Formats.DateTime(facts.At),
        ["ngay_hen_tra"] = facts.DueAt is { } due ? Formats.DateTime(due) : "chưa có",
        ["ly_do"] = facts.Reason ?? string.Empty,
        ["can_bo_sung"] = facts.Missing is { Count: > 0 } missing ? "- " + string.Join("\n- ", missing) : string.Empty,
        ["ghi_chu"] = facts.Note ?? string.Empty,
        ["so_tien"] = facts.Amount is { } amount ? Formats.Money(amount) : string.Empty,
        ["so_hieu_buu_gui"] = facts.Tracking ?? string.Empty,
    };

    /// <summary>The placeholders a text uses that do not exist (an administrator's typo), for the edit form.</summary>
    public static IReadOnlyList<string> Unknown(string text) =>
        [.. PlaceholderPattern().Matches(text).Select(m => m.Groups[1].Value).Where(p => !Placeholders.ContainsKey(p)).Distinct()];

    private static string Fill(string text, Dictionary<string, string> values) =>
        PlaceholderPattern().Replace(text, m => values.GetValueOrDefault(m.Groups[1].Value, m.Value));

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"[^\x20-\x7E]")]
    private static partial Regex NonPrintable();
}

internal sealed class NoticeTemplateMapping : IEntityTypeConfiguration<NoticeTemplate>
{
    public void Configure(EntityTypeBuilder<NoticeTemplate> e)
    {
        e.ToTable("NoticeTemplates");
        e.HasKey(x => x.Kind);
        e.Property(x => x.Kind).HasConversion<int>().ValueGeneratedNever();
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Subject).HasMaxLength(300);
        e.Property(x => x.Email).HasMaxLength(4000);
        e.Property(x => x.Sms).HasMaxLength(400);
        e.Property(x => x.InApp).HasMaxLength(1000);
    }
}

internal sealed class InAppNotificationMapping : IEntityTypeConfiguration<InAppNotification>
{
    public void Configure(EntityTypeBuilder<InAppNotification> e)
    {
        e.ToTable("InAppNotifications");
        e.HasIndex(x => new { x.UserId, x.CreatedAt });
        // The header's unread count reads only this index.
        e.HasIndex(x => new { x.UserId, x.ReadAt });
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.Body).HasMaxLength(2000);
        e.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
