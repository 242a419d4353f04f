using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Dossiers.LookUpDossier;

/// <summary>The SMS lookup (SPEC §3.7): the province's SMS gateway forwards "<c>KEYWORD MaHoSo</c>" texts to the portal.</summary>
internal sealed class SmsLookupOptions
{
    public const string SectionName = "Sms";

    /// <summary>
    /// Shared with the SMS gateway, which sends it in <c>X-Api-Key</c>. With none configured every inbound call is refused:
    /// an open webhook would let anyone make the portal send texts at the province's expense.
    /// </summary>
    [MinLength(16)]
    public string? InboundSecret { get; set; }

    /// <summary>The word citizens type first (SPEC §5: DVCNAMHA); matched ignoring case.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9]{2,20}$")]
    public string Keyword { get; set; } = "DVCNAMHA";

    /// <summary>The province's short number, named in the replies that teach the syntax; the replies leave by a brandname, not from it.</summary>
    [RegularExpression("^[0-9]{3,15}$")]
    public string? ShortNumber { get; set; }

    /// <summary>Lookups answered per sender in any 10 minutes; more get nothing, so two auto-responders cannot ping-pong at our cost.</summary>
    [Range(1, 1000)]
    public int LookupsPerSenderPer10Minutes { get; set; } = 10;
}

internal enum SmsLookupFailure
{
    /// <summary>The text does not start with the keyword (empty, another service's keyword, a bare code).</summary>
    NoKeyword,

    /// <summary>The keyword alone, or followed by something that cannot be a code (e.g. "mã hồ sơ").</summary>
    NoCode,
}

/// <summary>
/// What a citizen's text asks for. Phones and people add noise, so the parser forgives: any case; any blanks
/// (tabs, new lines, non-breaking and zero-width spaces) around and inside the keyword ("DVC NAMHA"); no space at all
/// ("DVCNAMHA000.00.20.H99-…"); a separator after the keyword (<c>: - _ . , ; # / =</c>); brackets, quotes and final
/// punctuation around the code ("&lt;…&gt;", "…0001."); full-width letters and typographic dashes. The code is the first word
/// after the keyword (anything after it is ignored), upper-cased, and may hold only ASCII letters, digits and <c>. - _ /</c>
/// (dossier codes look like <c>000.00.20.H99-261203-0001</c>). The keyword must come first: a code alone is refused,
/// since the short number may serve other keywords.
/// </summary>
internal sealed record SmsLookupCommand(string? Code, SmsLookupFailure? Failure)
{
    private const string Separators = ":-_.,;#/=";

    public static SmsLookupCommand Parse(string? text, string keyword)
    {
        // NFKC turns full-width "ＤＶＣ" into "DVC"; typographic dashes become '-'.
        var s = (text ?? string.Empty).Normalize(NormalizationForm.FormKC);
        s = string.Concat(s.Select(c => c is (>= '\u2010' and <= '\u2015') or '\u2212' ? '-' : c));
        var at = 0;
        foreach (var letter in keyword)
        {
            at = SkipBlanks(s, at);
            if (at >= s.Length || char.ToUpperInvariant(s[at]) != char.ToUpperInvariant(letter))
            {
                return new(null, SmsLookupFailure.NoKeyword);
            }

            at++;
        }

        while (at < s.Length && (IsBlank(s[at]) || Separators.Contains(s[at], StringComparison.Ordinal)))
        {
            at++;
        }

        var end = at;
        while (end < s.Length && !IsBlank(s[end]))
        {
            end++;
        }

        var word = s[at..end];
        var first = 0;
        var last = word.Length - 1;
        while (first <= last && !char.IsLetterOrDigit(word[first]))
        {
            first++;
        }

        while (last >= first && !char.IsLetterOrDigit(word[last]))
        {
            last--;
        }

        var code = word[first..(last + 1)];
        return code.Length == 0 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/')
            ? new(null, SmsLookupFailure.NoCode)
            : new(code.ToUpperInvariant(), null);
    }

    private static bool IsBlank(char c) => char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF';

    private static int SkipBlanks(string s, int at)
    {
        while (at < s.Length && IsBlank(s[at]))
        {
            at++;
        }

        return at;
    }
}

/// <summary>
/// The texts sent back: Vietnamese without diacritics in GSM-7 characters and at most 160 of them, so each is one SMS
/// on every phone and network. They name the code, the status and one date; never the applicant.
/// </summary>
internal static class SmsLookupReply
{
    public const int MaxLength = 160;

    public static string Found(string keyword, LookedUp dossier)
    {
        var status = Sentence(dossier.Status);
        var tail = dossier.FinishedAt is { } finished
            ? $"{status} ngay {Formats.Date(finished)}."
            : dossier.DueAt is { } due ? $"{status}. Hen tra {Formats.Date(due)}." : status + ".";
        return Fit($"{Prefix(keyword)}Ho so ", dossier.Code, ": " + tail);
    }

    public static string NotFound(string keyword, string code, string? shortNumber) =>
        Fit($"{Prefix(keyword)}Khong tim thay ho so ", code, ". " + Syntax(keyword, shortNumber));

    public static string Unreadable(string keyword, SmsLookupFailure failure, string? shortNumber) =>
        Prefix(keyword) + (failure == SmsLookupFailure.NoCode ? "Thieu ma ho so. " : "Sai cu phap. ") + Syntax(keyword, shortNumber);

    /// <summary>"Mới nộp, chờ tiếp nhận" → "Moi nop, cho tiep nhan".</summary>
    public static string Sentence(DossierStatus status) => VietnameseText.Plain(DossierStatuses.Label(status));

    private static string Prefix(string keyword) => keyword.ToUpperInvariant() + ": ";

    private static string Syntax(string keyword, string? shortNumber) =>
        $"Soan: {keyword.ToUpperInvariant()} <Ma ho so>" + (string.IsNullOrEmpty(shortNumber) ? "." : $" gui {shortNumber}.");

    /// <summary>Cuts what is echoed (a code, possibly garbage of any length) so the whole text stays one SMS.</summary>
    private static string Fit(string before, string echoed, string after)
    {
        var room = MaxLength - before.Length - after.Length;
        var safe = new string(echoed.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/').ToArray());
        return before + (safe.Length <= room ? safe : safe[..Math.Max(0, room - 3)] + "...") + after;
    }
}

/// <summary>The webhook the SMS gateway calls for each text received on the short number.</summary>
internal static class SmsLookup
{
    public const string ApiKeyHeader = "X-Api-Key";

    private const string SenderLimiter = "sms-lookup-senders";

    internal sealed record InboundSms(string? From, string? Text);

    internal sealed record SmsReply(string Reply);

    public static IServiceCollection AddSmsLookup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmsLookupOptions>().Bind(configuration.GetSection(SmsLookupOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        // In memory, so the limit holds per portal instance; behind several instances a sender gets at most N per instance.
        services.AddKeyedSingleton<PartitionedRateLimiter<string>>(SenderLimiter, (sp, _) =>
        {
            var permits = sp.GetRequiredService<IOptions<SmsLookupOptions>>().Value.LookupsPerSenderPer10Minutes;
            return PartitionedRateLimiter.Create<string, string>(sender => RateLimitPartition.GetSlidingWindowLimiter(sender, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits, Window = TimeSpan.FromMinutes(10), SegmentsPerWindow = 10, QueueLimit = 0,
            }));
        });
        return services;
    }

    public static void MapSmsLookup(this IEndpointRouteBuilder api) =>
        api.MapPost("/sms/inbound", ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .Accepts<InboundSms>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("ReceiveLookupSms")
            .WithSummary("Tra cứu hồ sơ qua SMS: cổng SMS chuyển tin nhắn “<từ khóa> <mã hồ sơ>” (khóa X-Api-Key), Cổng nhắn lại trạng thái hồ sơ cho người gửi");

    private static async Task<Results<Ok<SmsReply>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, AppDbContext db, CatalogIndex catalog, IOptions<SmsLookupOptions> options, TimeProvider time,
        [FromKeyedServices(SenderLimiter)] PartitionedRateLimiter<string> senders, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!KeyMatches(request.Headers[ApiKeyHeader].ToString(), settings.InboundSecret))
        {
            return Problem(StatusCodes.Status401Unauthorized, "Chưa xác thực", $"Thiếu hoặc sai khóa {ApiKeyHeader} của cổng SMS.");
        }

        InboundSms? sms;
        try
        {
            sms = await JsonSerializer.DeserializeAsync<InboundSms>(request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException)
        {
            sms = null;
        }

        if (sms is not { From: not null, Text: not null })
        {
            return Problem(StatusCodes.Status400BadRequest, "Tin nhắn không hợp lệ", "Gửi JSON có hai trường “from” (số điện thoại người gửi) và “text” (nội dung tin nhắn).");
        }

        if (Contacts.NormalizePhone(sms.From) is not { } sender)
        {
            return Problem(StatusCodes.Status400BadRequest, "Số điện thoại không hợp lệ", "“from” phải là số di động Việt Nam, ví dụ 0912345678 hoặc +84912345678.");
        }

        using var lease = senders.AttemptAcquire(sender);
        if (!lease.IsAcquired)
        {
            return Problem(StatusCodes.Status429TooManyRequests, "Quá nhiều tin nhắn tra cứu",
                $"Số này đã tra cứu {settings.LookupsPerSenderPer10Minutes} lần trong 10 phút; tin nhắn này không được trả lời.");
        }

        var command = SmsLookupCommand.Parse(sms.Text, settings.Keyword);
        var found = command.Code is { } code ? await DossierLookup.FindAsync(db, catalog, code, cancellationToken) : null;
        var reply = found is not null ? SmsLookupReply.Found(settings.Keyword, found)
            : command.Code is not null ? SmsLookupReply.NotFound(settings.Keyword, command.Code, settings.ShortNumber)
            : SmsLookupReply.Unreadable(settings.Keyword, command.Failure!.Value, settings.ShortNumber);
        var message = OutboxMessage.Sms(sender, reply, "tra-cuu-sms", time.GetUtcNow().UtcDateTime);
        if (found is not null)
        {
            message.About(found.DossierId);
        }

        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new SmsReply(reply));
    }

    /// <summary>Constant time: hashing first makes both sides the same length, so not even the secret's length leaks.</summary>
    private static bool KeyMatches(string given, string? secret) =>
        !string.IsNullOrEmpty(secret) && !string.IsNullOrEmpty(given)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
