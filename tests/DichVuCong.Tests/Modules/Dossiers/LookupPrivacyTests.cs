using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Dossiers;

/// <summary>
/// The public lookup tells nothing personal: by code, only the masked name; by CCCD/CMND, only to the holder of the
/// phone on the dossiers, and the same answer for a number with dossiers as for one without.
/// </summary>
public abstract class LookupPrivacyTests(PortalFixture portal)
{
    private readonly Desk desk = new(portal);

    private LookupRig Rig => ((ILookupRigged)portal).Rig;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Someone with two submitted dossiers (the newer one last), every personal field filled and a file attached.</summary>
    private sealed record Person(Processing.Applicant Account, string FullName, string Address, string FileName, List<string> Codes);

    private async Task<Person> PersonWithDossiersAsync(string fullName, int count = 2)
    {
        var (agency, _) = await desk.CommunesAsync();
        var account = await desk.ApplicantAsync();
        var address = "Số " + Random.Shared.Next(10, 99) + " đường Hàng Bông, phường Hoàn Kiếm";
        var fileName = "giay-khai-sinh-" + Guid.NewGuid().ToString("N")[..6] + ".pdf";
        var codes = new List<string>();
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var procedureId = await db.Procedures.Where(p => p.Code == Desk.BirthCode).Select(p => p.Id).SingleAsync(Cancel);
        for (var i = 0; i < count; i++)
        {
            var when = Rig.Clock.GetUtcNow().UtcDateTime.AddDays(i - count);
            var dossier = Dossier.StartDraft(account.Id, procedureId, agency, when);
            dossier.SetApplicant(new Web.Modules.Dossiers.Applicant { FullName = fullName, IdentityNumber = account.CitizenId, Phone = account.Phone, Email = account.Email, Address = address, BirthDate = new DateOnly(1995, 4, 1) });
            dossier.Delivery = DeliveryMethod.AtDesk;
            dossier.Files.Add(new DossierFile { DossierId = dossier.Id, ComponentId = 1, FileName = fileName, StoragePath = "test/" + Guid.NewGuid().ToString("N"), ContentType = "application/pdf", Sha256 = new string('0', 64), UploadedAt = when });
            var code = "T-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
            dossier.Submit(code, null, when);
            db.Dossiers.Add(dossier);
            codes.Add(code);
        }

        await db.SaveChangesAsync(Cancel);
        return new Person(account, fullName, address, fileName, codes);
    }

    private void AssertNothingPersonal(string text, Person person)
    {
        Assert.DoesNotContain(person.FullName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Account.CitizenId, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Account.Phone, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Account.Email, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.Address, text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.FileName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonEncodedText.Encode(person.FullName).ToString(), text, StringComparison.Ordinal);
    }

    private async Task<int> LookupCodesSentAsync()
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.CountAsync(m => m.Purpose == "otp-tra-cuu", Cancel);
    }

    private static Task<HttpResponseMessage> AskCodeAsync(HttpClient browser, IDocument page, string number) =>
        browser.SubmitAsync(page, "#gui-ma", new Dictionary<string, string> { ["IdentityNumber"] = number });

    private static Task<HttpResponseMessage> TypeCodeAsync(HttpClient browser, IDocument page, string code) =>
        browser.SubmitAsync(page, "#xac-minh", new Dictionary<string, string> { ["VerificationCode"] = code });

    /// <summary>Asks for a code for the person's number and types the one their phone received; returns the page then shown.</summary>
    private async Task<IDocument> VerifiedAsync(HttpClient browser, Person person)
    {
        using var asked = await AskCodeAsync(browser, await browser.GetPageAsync("/tra-cuu"), person.Account.CitizenId);
        var codeForm = await Html.ParseAsync(asked);
        var code = await NewCitizen.LastCodeAsync(portal, person.Account.Phone);
        using var typed = await TypeCodeAsync(browser, codeForm, code!);
        Assert.Equal("/tra-cuu#ho-so-theo-giay-to", typed.Headers.Location?.OriginalString);
        return await browser.GetPageAsync("/tra-cuu");
    }

    private static string ListText(IDocument page) => page.QuerySelector("#danh-sach-ho-so").Text();

    [Fact]
    public async Task By_code_the_page_and_the_api_show_the_masked_name_and_nothing_personal()
    {
        var person = await PersonWithDossiersAsync("Lê Thị Hồng Nhung", count: 1);
        using var stranger = portal.CreateClient();

        using var response = await stranger.GetAsync(new Uri("/tra-cuu?ma=" + person.Codes[0], UriKind.Relative), Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Lê T** H** N**", page.QuerySelector("#nguoi-nop").Text());
        AssertNothingPersonal(html, person);

        var json = await stranger.GetStringAsync(new Uri("/api/v1/lookup/" + person.Codes[0], UriKind.Relative), Cancel);
        var body = JsonDocument.Parse(json).RootElement;
        Assert.Equal("Lê T** H** N**", body.GetProperty("applicantMasked").GetString());
        AssertNothingPersonal(json, person);
        AssertNothingPersonal(string.Join('|', body.EnumerateObject().Select(p => p.Value.ToString())), person);
    }

    [Fact]
    public async Task An_unknown_code_gets_a_helpful_answer_for_the_same_database_work_as_a_known_one()
    {
        var person = await PersonWithDossiersAsync("Phạm Văn Đức", count: 1);
        using var browser = portal.CreateClient();
        await browser.GetPageAsync("/tra-cuu?ma=" + person.Codes[0]);

        async Task<IReadOnlyList<string>> CommandsAsync(string url)
        {
            var trace = Guid.NewGuid().ToString("N");
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
            request.Headers.Add(LookupRig.TraceHeader, trace);
            using var response = await browser.SendAsync(request, Cancel);
            return Rig.Commands.Of(trace);
        }

        var unknownCode = "T-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        foreach (var path in new[] { "/tra-cuu?ma=", "/api/v1/lookup/" })
        {
            var known = await CommandsAsync(path + person.Codes[0]);
            var unknown = await CommandsAsync(path + unknownCode);
            Assert.NotEmpty(known);
            Assert.Equal(known, unknown);
        }

        var missing = await browser.GetPageAsync("/tra-cuu?ma=" + unknownCode);
        var message = missing.QuerySelector(".error-summary").Text();
        Assert.Contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", message, StringComparison.Ordinal);
        Assert.Contains("Tra cứu bằng số CCCD/CMND", message, StringComparison.Ordinal);
        Assert.NotNull(missing.QuerySelector("#gui-ma #so-giay-to"));
    }

    [Fact]
    public async Task By_cccd_the_code_goes_to_the_phone_on_the_dossiers_and_the_right_code_shows_only_that_persons_dossiers()
    {
        var a = await PersonWithDossiersAsync("Nguyễn Văn An");
        var b = await PersonWithDossiersAsync("Trần Thị Bích");
        using var browser = portal.CreateClient();

        var start = await browser.GetPageAsync("/tra-cuu");
        Assert.Equal("Tra cứu bằng số CCCD/CMND", start.QuerySelector("#tieu-de-giay-to").Text());
        using var asked = await AskCodeAsync(browser, start, a.Account.CitizenId);
        var html = await asked.Content.ReadAsStringAsync(Cancel);
        var codeForm = await Html.ParseAsync(asked);
        Assert.StartsWith("Nếu có hồ sơ mang số giấy tờ này, mã xác minh", codeForm.QuerySelector("#da-gui-ma").Text(), StringComparison.Ordinal);
        Assert.NotNull(codeForm.QuerySelector("#xac-minh #ma-xac-minh"));
        Assert.Null(codeForm.QuerySelector("#danh-sach-ho-so"));
        Assert.All(a.Codes, code => Assert.DoesNotContain(code, html, StringComparison.Ordinal));
        AssertNothingPersonal(html, a);

        Assert.Single(await desk.MessagesAsync(a.Account.Phone), m => m.Purpose == "otp-tra-cuu" && !m.Body.Any(c => c > 127));
        Assert.DoesNotContain(await desk.MessagesAsync(b.Account.Phone), m => m.Purpose == "otp-tra-cuu");
        Assert.Null((await browser.GetPageAsync("/tra-cuu")).QuerySelector("#danh-sach-ho-so"));

        var code = await NewCitizen.LastCodeAsync(portal, a.Account.Phone);
        using var typed = await TypeCodeAsync(browser, codeForm, code!);
        Assert.Equal(HttpStatusCode.Redirect, typed.StatusCode);
        var cookie = typed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dvc.tra-cuu=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=900", cookie, StringComparison.OrdinalIgnoreCase);

        var listed = await browser.GetPageAsync("/tra-cuu");
        var rows = listed.QuerySelectorAll("#danh-sach-ho-so tbody tr").Select(r => r.QuerySelector("td a").Text()).ToList();
        Assert.Equal(Enumerable.Reverse(a.Codes).ToList(), rows);
        Assert.Equal("/tra-cuu?ma=" + a.Codes[0], listed.QuerySelector($"#danh-sach-ho-so a[href$='{a.Codes[0]}']")?.GetAttribute("href"));
        Assert.Contains("Nguyễn V** A**", ListText(listed), StringComparison.Ordinal);
        Assert.Contains("Mới nộp, chờ tiếp nhận", ListText(listed), StringComparison.Ordinal);
        Assert.All(b.Codes, c => Assert.DoesNotContain(c, listed.Body!.InnerHtml, StringComparison.Ordinal));
        AssertNothingPersonal(listed.Body!.InnerHtml, a);

        using var stranger = portal.CreateClient();
        Assert.Null((await stranger.GetPageAsync("/tra-cuu")).QuerySelector("#danh-sach-ho-so"));

        using var left = await browser.SubmitAsync(listed, "#thoat", new Dictionary<string, string>());
        var after = await browser.FollowAsync(left);
        Assert.Null(after.QuerySelector("#danh-sach-ho-so"));
        Assert.NotNull(after.QuerySelector("#gui-ma"));
    }

    [Fact]
    public async Task An_unknown_number_gets_the_same_page_as_a_known_one_and_nothing_is_sent()
    {
        var a = await PersonWithDossiersAsync("Hoàng Văn Minh", count: 1);
        var unknown = NewCitizen.Make().CitizenId;

        async Task<string> AskAsync(string number)
        {
            using var browser = portal.CreateClient();
            using var asked = await AskCodeAsync(browser, await browser.GetPageAsync("/tra-cuu"), number);
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            var html = await asked.Content.ReadAsStringAsync(Cancel);
            // The page shows the typed number masked to its last three digits; everything else must match.
            return Regex.Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"", "token")
                .Replace(Web.Modules.Accounts.CitizenIdentity.Mask(number), "(số đã nhập)", StringComparison.Ordinal);
        }

        var known = await AskAsync(a.Account.CitizenId);
        var before = await LookupCodesSentAsync();
        var none = await AskAsync(unknown);
        Assert.Equal(known, none);
        Assert.Equal(before, await LookupCodesSentAsync());

        // Asked again at once: the same wait, whoever the number belongs to.
        var knownAgain = await AskAsync(a.Account.CitizenId);
        var noneAgain = await AskAsync(unknown);
        Assert.Contains("Gửi lại mã", knownAgain, StringComparison.Ordinal);
        Assert.Contains("chỉ nhận một mã trong 60 giây", knownAgain, StringComparison.Ordinal);
        Assert.Equal(knownAgain, noneAgain);
        Assert.Equal(before, await LookupCodesSentAsync());

        using var typo = portal.CreateClient();
        using var refused = await AskCodeAsync(typo, await typo.GetPageAsync("/tra-cuu"), "00109512");
        var page = await Html.ParseAsync(refused);
        Assert.Contains("Nhập số CCCD gồm 12 chữ số hoặc số CMND gồm 9 chữ số.", page.QuerySelector(".error-summary").Text(), StringComparison.Ordinal);
        Assert.Equal("00109512", page.QuerySelector("#so-giay-to")?.GetAttribute("value"));
    }

    [Fact]
    public async Task Five_wrong_codes_kill_the_code_even_if_the_right_one_comes_after()
    {
        var a = await PersonWithDossiersAsync("Vũ Thị Lan", count: 1);
        using var browser = portal.CreateClient();
        using var asked = await AskCodeAsync(browser, await browser.GetPageAsync("/tra-cuu"), a.Account.CitizenId);
        var page = await Html.ParseAsync(asked);
        var code = (await NewCitizen.LastCodeAsync(portal, a.Account.Phone))!;
        var wrong = code == "000000" ? "111111" : "000000";
        for (var left = 4; left >= 1; left--)
        {
            using var typed = await TypeCodeAsync(browser, page, wrong);
            page = await Html.ParseAsync(typed);
            Assert.Equal($"Mã xác minh không đúng. Bạn còn {left} lần thử.", page.QuerySelector("#ma-xac-minh-error").Text());
        }

        using var fifth = await TypeCodeAsync(browser, page, wrong);
        page = await Html.ParseAsync(fifth);
        Assert.Contains("đã nhập sai quá 5 lần", page.QuerySelector("#ma-xac-minh-error").Text(), StringComparison.Ordinal);
        using var right = await TypeCodeAsync(browser, page, code);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Gửi lại mã", (await Html.ParseAsync(right)).QuerySelector("#ma-xac-minh-error").Text(), StringComparison.Ordinal);
        Assert.Null((await browser.GetPageAsync("/tra-cuu")).QuerySelector("#danh-sach-ho-so"));
    }

    [Fact]
    public async Task A_code_sent_for_one_person_does_not_grant_another()
    {
        var a = await PersonWithDossiersAsync("Đặng Văn Hải", count: 1);
        var b = await PersonWithDossiersAsync("Bùi Thị Mai", count: 1);
        using var browser = portal.CreateClient();
        using var askedA = await AskCodeAsync(browser, await browser.GetPageAsync("/tra-cuu"), a.Account.CitizenId);
        var codeA = (await NewCitizen.LastCodeAsync(portal, a.Account.Phone))!;

        // The same browser now asks for B's number and types A's code.
        using var restarted = await browser.SubmitAsync(await Html.ParseAsync(askedA), "#nhap-so-khac", new Dictionary<string, string>());
        using var askedB = await AskCodeAsync(browser, await browser.FollowAsync(restarted), b.Account.CitizenId);
        using var typed = await TypeCodeAsync(browser, await Html.ParseAsync(askedB), codeA);
        Assert.Equal(HttpStatusCode.OK, typed.StatusCode);
        Assert.StartsWith("Mã xác minh không đúng.", (await Html.ParseAsync(typed)).QuerySelector("#ma-xac-minh-error").Text(), StringComparison.Ordinal);
        var page = await browser.GetPageAsync("/tra-cuu");
        Assert.Null(page.QuerySelector("#danh-sach-ho-so"));
        Assert.DoesNotContain(b.Codes[0], page.Body!.InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_lasts_five_minutes_and_the_list_fifteen()
    {
        var a = await PersonWithDossiersAsync("Lý Văn Tâm", count: 1);
        using var late = portal.CreateClient();
        using var asked = await AskCodeAsync(late, await late.GetPageAsync("/tra-cuu"), a.Account.CitizenId);
        var code = (await NewCitizen.LastCodeAsync(portal, a.Account.Phone))!;
        Rig.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using var typed = await TypeCodeAsync(late, await Html.ParseAsync(asked), code);
        Assert.Contains("đã hết hạn", (await Html.ParseAsync(typed)).QuerySelector("#ma-xac-minh-error").Text(), StringComparison.Ordinal);

        using var browser = portal.CreateClient();
        Assert.Contains(a.Codes[0], ListText(await VerifiedAsync(browser, a)), StringComparison.Ordinal);
        Rig.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Contains(a.Codes[0], ListText(await browser.GetPageAsync("/tra-cuu")), StringComparison.Ordinal);
        Rig.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var expired = await browser.GetPageAsync("/tra-cuu");
        Assert.Null(expired.QuerySelector("#danh-sach-ho-so"));
        Assert.DoesNotContain(a.Codes[0], expired.Body!.InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenges_are_deleted_a_day_after_they_were_sent()
    {
        using var first = portal.CreateClient();
        using var asked = await AskCodeAsync(first, await first.GetPageAsync("/tra-cuu"), NewCitizen.Make().CitizenId);
        Rig.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        using var second = portal.CreateClient();
        using var askedLater = await AskCodeAsync(second, await second.GetPageAsync("/tra-cuu"), NewCitizen.Make().CitizenId);

        using var scope = portal.Services.CreateScope();
        var challenges = scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<Web.Modules.Dossiers.LookUpDossier.LookupChallenge>();
        var dayAgo = Rig.Clock.GetUtcNow().UtcDateTime.AddDays(-1);
        Assert.Equal(0, await challenges.CountAsync(c => c.SentAt < dayAgo, Cancel));
        Assert.Equal(1, await challenges.CountAsync(c => c.SentAt >= dayAgo, Cancel));
    }
}

/// <summary>What the lookup tests add to their portal: a clock they move, and the SQL each traced request runs.</summary>
internal sealed class LookupRig
{
    public const string TraceHeader = "X-Test-Sql-Trace";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public SqlCommands Commands { get; } = new();

    public PortalFactory Create(DatabaseProvider provider, string connectionString) =>
        new(provider, connectionString, new Dictionary<string, string?> { ["RateLimits:LookupPerMinute"] = "10000" })
        {
            TestServices = services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton<IInterceptor>(Commands);
            },
        };

    /// <summary>Records the text of every command run while serving a request that carries <see cref="TraceHeader"/>.</summary>
    internal sealed class SqlCommands : DbCommandInterceptor
    {
        private readonly HttpContextAccessor accessor = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> byTrace = new();

        public IReadOnlyList<string> Of(string trace) => byTrace.TryGetValue(trace, out var commands) ? [.. commands] : [];

        private void Record(DbCommand command)
        {
            if (accessor.HttpContext?.Request.Headers[TraceHeader].ToString() is { Length: > 0 } trace)
            {
                byTrace.GetOrAdd(trace, _ => new()).Enqueue(command.CommandText);
            }
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }
    }
}

internal interface ILookupRigged
{
    LookupRig Rig { get; }
}

public sealed class LookupSqlitePortal : SqlitePortal, ILookupRigged
{
    private readonly LookupRig rig = new();

    LookupRig ILookupRigged.Rig => rig;

    internal override PortalFactory CreateFactory(string connectionString) => rig.Create(Provider, connectionString);
}

public sealed class LookupPostgresPortal : PostgresPortal, ILookupRigged
{
    private readonly LookupRig rig = new();

    LookupRig ILookupRigged.Rig => rig;

    internal override PortalFactory CreateFactory(string connectionString) => rig.Create(Provider, connectionString);
}

public sealed class LookupPrivacyTestsOnSqlite(LookupSqlitePortal portal) : LookupPrivacyTests(portal), IClassFixture<LookupSqlitePortal>;

public sealed class LookupPrivacyTestsOnPostgreSql(LookupPostgresPortal portal) : LookupPrivacyTests(portal), IClassFixture<LookupPostgresPortal>;
