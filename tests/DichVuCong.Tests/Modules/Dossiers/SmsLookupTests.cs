using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Dossiers.LookUpDossier;
using DichVuCong.Web.Modules.Notifications;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Applicant = DichVuCong.Tests.Modules.Processing.Applicant;

namespace DichVuCong.Tests.Modules.Dossiers;

/// <summary>What citizens really type, and the one-SMS replies they get back.</summary>
public sealed class SmsLookupTextTests
{
    private const string Code = "000.00.20.H99-261203-0001";

    [Theory]
    [InlineData("DVCNAMHA 000.00.20.H99-261203-0001", Code)]
    [InlineData("dvcnamha 000.00.20.h99-261203-0001", Code)]
    [InlineData("DvcNamHa 000.00.20.H99-261203-0001", Code)]
    [InlineData("   DVCNAMHA     000.00.20.H99-261203-0001   ", Code)]
    [InlineData("DVCNAMHA\t000.00.20.H99-261203-0001", Code)]
    [InlineData("DVCNAMHA\r\n000.00.20.H99-261203-0001\n", Code)]
    [InlineData("\u00A0DVCNAMHA\u00A0000.00.20.H99-261203-0001\u00A0", Code)]
    [InlineData("\uFEFFDVCNAMHA\u200B000.00.20.H99-261203-0001", Code)]
    [InlineData("DVCNAMHA000.00.20.H99-261203-0001", Code)]
    [InlineData("DVCNAMHAH99.1-261203-0001", "H99.1-261203-0001")]
    [InlineData("DVCNAMHA 000.00.20.H99-261203-0001.", Code)]
    [InlineData("DVCNAMHA 000.00.20.H99-261203-0001?!", Code)]
    [InlineData("DVCNAMHA: 000.00.20.H99-261203-0001", Code)]
    [InlineData("DVCNAMHA:000.00.20.H99-261203-0001", Code)]
    [InlineData("DVCNAMHA-000.00.20.H99-261203-0001", Code)]
    [InlineData("DVCNAMHA # 000.00.20.H99-261203-0001", Code)]
    [InlineData("DVC NAMHA 000.00.20.H99-261203-0001", Code)]
    [InlineData("DVCNAMHA <000.00.20.H99-261203-0001>", Code)]
    [InlineData("DVCNAMHA \"000.00.20.H99-261203-0001\"", Code)]
    [InlineData("DVCNAMHA 000.00.20.H99–261203—0001", Code)]
    [InlineData("ＤＶＣＮＡＭＨＡ ０００.００.２０.Ｈ９９-２６１２０３-０００１", Code)]
    [InlineData("DVCNAMHA 000.00.20.H99-261203-0001 cam on nhieu", Code)]
    [InlineData("DVCNAMHA", "(NoCode)")]
    [InlineData("dvcnamha   .  ", "(NoCode)")]
    [InlineData("DVCNAMHA mã hồ sơ", "(NoCode)")]
    [InlineData("000.00.20.H99-261203-0001", "(NoKeyword)")]
    [InlineData("TRACUU 000.00.20.H99-261203-0001", "(NoKeyword)")]
    [InlineData("DVCNAM 000.00.20.H99-261203-0001", "(NoKeyword)")]
    [InlineData("Tra cứu hồ sơ DVCNAMHA 000.00.20.H99-261203-0001", "(NoKeyword)")]
    [InlineData("Đăng ký dịch vụ", "(NoKeyword)")]
    [InlineData("", "(NoKeyword)")]
    [InlineData(" \t\n", "(NoKeyword)")]
    [InlineData(null, "(NoKeyword)")]
    public void A_text_gives_the_dossier_code_or_why_not(string? text, string expected)
    {
        var command = SmsLookupCommand.Parse(text, "DVCNAMHA");

        Assert.Equal(expected, command.Code ?? $"({command.Failure})");
        Assert.True(command.Code is null != command.Failure is null);
    }

    [Fact]
    public void The_configured_keyword_is_the_one_understood()
    {
        Assert.Equal(Code, SmsLookupCommand.Parse("dvcnamdinh " + Code, "DVCNAMDINH").Code);
        Assert.Equal(SmsLookupFailure.NoKeyword, SmsLookupCommand.Parse("DVCNAMHA " + Code, "DVCNAMDINH").Failure);
    }

    /// <summary>Printable ASCII without the characters GSM-7 sends as two (or cannot send): one SMS is 160 of these.</summary>
    private static void AssertOneSms(string reply)
    {
        Assert.InRange(reply.Length, 1, 160);
        Assert.All(reply, c => Assert.True(c is >= ' ' and <= '~' && !"[]{}\\^~|`".Contains(c, StringComparison.Ordinal), $"'{c}' in: {reply}"));
    }

    [Fact]
    public void Every_status_is_answered_in_one_sms_without_diacritics_with_the_code_and_a_date()
    {
        var longest = new string('9', 48) + ".H99-261203-0001";
        Assert.Equal(64, longest.Length); // the longest code the database holds
        var due = new DateTime(2026, 12, 9, 18, 0, 0, DateTimeKind.Utc); // 01:00 on 10/12 in Vietnam
        foreach (var status in DossierStatuses.All)
        {
            var finished = status is DossierStatus.Completed or DossierStatus.Refused or DossierStatus.Stopped or DossierStatus.Withdrawn;
            foreach (var code in new[] { Code, longest })
            {
                var dossier = new LookedUp(code, "Đăng ký khai sinh", "Nguyễn V** A**", due.AddDays(-7), due.AddDays(-6), due,
                    finished ? due.AddDays(1) : null, status, "Ủy ban nhân dân xã Yên Lạc", Guid.NewGuid());
                var reply = SmsLookupReply.Found("DVCNAMHA", dossier);

                AssertOneSms(reply);
                Assert.StartsWith("DVCNAMHA: Ho so ", reply, StringComparison.Ordinal);
                Assert.Contains(SmsLookupReply.Sentence(status), reply, StringComparison.Ordinal);
                Assert.Contains(finished ? "ngay 11/12/2026." : "Hen tra 10/12/2026.", reply, StringComparison.Ordinal);
                Assert.DoesNotContain("Nguyen", reply, StringComparison.OrdinalIgnoreCase);
                if (code == Code)
                {
                    Assert.Contains(Code, reply, StringComparison.Ordinal);
                }
            }
        }

        Assert.Equal("Moi nop, cho tiep nhan", SmsLookupReply.Sentence(DossierStatus.Submitted));
        Assert.Equal("Co ket qua, cho tra", SmsLookupReply.Sentence(DossierStatus.ResultReady));
    }

    [Fact]
    public void The_reply_reads_naturally()
    {
        var received = new LookedUp(Code, "x", "x", null, null, new DateTime(2026, 12, 10, 10, 0, 0, DateTimeKind.Utc), null, DossierStatus.Received, "x", Guid.NewGuid());
        var waiting = received with { DueAt = null, Status = DossierStatus.Submitted };
        var done = received with { Status = DossierStatus.Completed, FinishedAt = new DateTime(2026, 12, 8, 20, 0, 0, DateTimeKind.Utc) };

        Assert.Equal("DVCNAMHA: Ho so 000.00.20.H99-261203-0001: Da tiep nhan. Hen tra 10/12/2026.", SmsLookupReply.Found("DVCNAMHA", received));
        Assert.Equal("DVCNAMHA: Ho so 000.00.20.H99-261203-0001: Moi nop, cho tiep nhan.", SmsLookupReply.Found("DVCNAMHA", waiting));
        Assert.Equal("DVCNAMHA: Ho so 000.00.20.H99-261203-0001: Da tra ket qua ngay 09/12/2026.", SmsLookupReply.Found("DVCNAMHA", done));
        Assert.Equal("DVCNAMHA: Khong tim thay ho so 000.00.20.H99-261203-0001. Soan: DVCNAMHA <Ma ho so> gui 8088.", SmsLookupReply.NotFound("DVCNAMHA", Code, "8088"));
        Assert.Equal("DVCNAMHA: Sai cu phap. Soan: DVCNAMHA <Ma ho so>.", SmsLookupReply.Unreadable("DVCNAMHA", SmsLookupFailure.NoKeyword, null));
        Assert.Equal("DVCNAMHA: Thieu ma ho so. Soan: DVCNAMHA <Ma ho so>.", SmsLookupReply.Unreadable("DVCNAMHA", SmsLookupFailure.NoCode, null));
    }

    [Fact]
    public void A_very_long_unknown_code_is_cut_so_the_syntax_still_fits_in_one_sms()
    {
        var keyword = "DVCNAMHADAIDAIDAI123";
        var garbage = SmsLookupCommand.Parse(keyword + " " + string.Concat(Enumerable.Repeat("ABC.123-", 200)), keyword).Code!;
        Assert.True(garbage.Length > 1000);

        var reply = SmsLookupReply.NotFound(keyword, garbage, "123456789012345");

        AssertOneSms(reply);
        Assert.Contains("Khong tim thay ho so ABC.123-ABC", reply, StringComparison.Ordinal);
        Assert.EndsWith("... Soan: DVCNAMHADAIDAIDAI123 <Ma ho so> gui 123456789012345.", reply, StringComparison.Ordinal);
        AssertOneSms(SmsLookupReply.Unreadable(keyword, SmsLookupFailure.NoCode, "123456789012345"));
    }
}

/// <summary>The gateway's webhook on the real portal: who may call it, what the sender gets, and how often.</summary>
public abstract class SmsLookupTests(PortalFixture portal)
{
    private const string Secret = "test-sms-gateway-secret-0123456789";

    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The portal on the fixture's database, with the gateway's secret (and any other setting) configured.</summary>
    private PortalFactory Gateway(string? perSender = null)
    {
        _ = portal.Services; // skips (or fails under CI) when the database is not available here
        var settings = new Dictionary<string, string?> { ["Sms:InboundSecret"] = Secret };
        if (perSender is not null)
        {
            settings["Sms:LookupsPerSenderPer10Minutes"] = perSender;
        }

        return new PortalFactory(portal.Factory.Provider, portal.Factory.ConnectionString, settings);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> TextAsync(HttpClient client, string? key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/sms/inbound", UriKind.Relative))
        {
            Content = body as HttpContent ?? JsonContent.Create(body),
        };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await client.SendAsync(request, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<List<OutboxMessage>> TextsToAsync(string phone)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.AsNoTracking()
            .Where(m => m.Recipient == phone).OrderBy(m => m.CreatedAt).ToListAsync(Cancel);
    }

    /// <summary>A dossier submitted at the commune with a code from the portal's own code generator, as a citizen gets it.</summary>
    private async Task<(Guid Id, string Code)> SubmittedAsync(int agencyId, Applicant applicant)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var procedureId = await db.Procedures.Where(p => p.Code == Desk.BirthCode).Select(p => p.Id).SingleAsync(Cancel);
        var agencyCode = await db.Agencies.Where(a => a.Id == agencyId).Select(a => a.Code).SingleAsync(Cancel);
        var dossier = Dossier.StartDraft(applicant.Id, procedureId, agencyId, DateTime.UtcNow);
        dossier.SetApplicant(new Web.Modules.Dossiers.Applicant { FullName = "Đỗ Thị Hồ Sơ", IdentityNumber = applicant.CitizenId, Phone = applicant.Phone, Email = applicant.Email });
        dossier.Delivery = DeliveryMethod.AtDesk;
        dossier.Submit(await scope.ServiceProvider.GetRequiredService<DossierCodes>().NextAsync(agencyId, agencyCode, Cancel), null, DateTime.UtcNow);
        db.Dossiers.Add(dossier);
        await db.SaveChangesAsync(Cancel);
        return (dossier.Id, dossier.Code!);
    }

    [Fact]
    public async Task Only_the_gateway_with_the_shared_key_is_answered_and_no_key_configured_answers_nobody()
    {
        var phone = NewCitizen.Make().Phone;
        var text = new { from = phone, text = "DVCNAMHA 000.00.20.H99-261203-0001" };
        await using var gateway = Gateway();
        using var client = gateway.CreateClient();

        var (status, problem) = await TextAsync(client, null, text);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TextAsync(client, Secret + "x", text)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TextAsync(client, Secret[..^1], text)).Status);

        // The shared test portal has no secret: even the right one is refused.
        using var unconfigured = portal.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await TextAsync(unconfigured, Secret, text)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TextAsync(unconfigured, string.Empty, text)).Status);

        Assert.Empty(await TextsToAsync(phone));
        Assert.Equal(HttpStatusCode.OK, (await TextAsync(client, Secret, text)).Status);
        Assert.Single(await TextsToAsync(phone));

        // The gateway's integrator finds it in the API reference, with the body to send.
        var operation = (await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel)).GetProperty("paths").GetProperty("/api/v1/sms/inbound").GetProperty("post");
        Assert.Equal("ReceiveLookupSms", operation.GetProperty("operationId").GetString());
        Assert.StartsWith("Tra cứu hồ sơ qua SMS", operation.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task A_received_dossier_looked_up_by_a_sloppy_text_is_answered_by_sms_with_status_and_due_date()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await SubmittedAsync(a, applicant);
        Assert.Contains(".", code, StringComparison.Ordinal);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, reception, id, WorkflowAction.Receive)).Kind);
        var dueAt = (await desk.LoadAsync(id)).DueAt!.Value;
        var due = dueAt.AddHours(7).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture); // Vietnam: UTC+7 all year
        var sender = NewCitizen.Make().Phone;
        await using var gateway = Gateway();
        using var client = gateway.CreateClient();

        var (status, body) = await TextAsync(client, Secret, new { from = "+84" + sender[1..], text = "  dvcnamha  " + code.ToLowerInvariant() + ".\n" });

        Assert.Equal(HttpStatusCode.OK, status);
        var reply = body.GetProperty("reply").GetString()!;
        Assert.Equal($"DVCNAMHA: Ho so {code}: Da tiep nhan. Hen tra {due}.", reply);
        Assert.True(Encoding.ASCII.GetByteCount(reply) == reply.Length && reply.Length <= 160);
        Assert.DoesNotContain("Do Thi", reply, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(applicant.CitizenId, reply, StringComparison.Ordinal);
        var sms = Assert.Single(await TextsToAsync(sender));
        Assert.Equal(MessageChannel.Sms, sms.Channel);
        Assert.Equal(reply, sms.Body);
        Assert.Equal(id, sms.DossierId);
        Assert.Equal("tra-cuu-sms", sms.Purpose);

        // The public lookup's API reads the same dossier the same way, and still shows no id.
        using var stranger = portal.CreateClient();
        var looked = await stranger.GetFromJsonAsync<JsonElement>("/api/v1/lookup/" + Uri.EscapeDataString(code), Cancel);
        Assert.Equal("received", looked.GetProperty("status").GetString());
        Assert.False(looked.TryGetProperty("dossierId", out _));
    }

    [Fact]
    public async Task An_unknown_code_or_a_wrong_text_teaches_the_syntax_and_a_malformed_call_is_refused()
    {
        var sender = NewCitizen.Make().Phone;
        await using var gateway = Gateway();
        using var client = gateway.CreateClient();

        var (status, body) = await TextAsync(client, Secret, new { from = sender, text = "DVCNAMHA 000.00.00.H99-991231-9999" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("DVCNAMHA: Khong tim thay ho so 000.00.00.H99-991231-9999. Soan: DVCNAMHA <Ma ho so>.", body.GetProperty("reply").GetString());
        (status, body) = await TextAsync(client, Secret, new { from = sender, text = "Cho hỏi hồ sơ của tôi" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("DVCNAMHA: Sai cu phap. Soan: DVCNAMHA <Ma ho so>.", body.GetProperty("reply").GetString());
        var sent = await TextsToAsync(sender);
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Null(m.DossierId));

        foreach (var wrong in new object[]
        {
            new StringContent("{\"from\": \"0912", Encoding.UTF8, "application/json"),
            new StringContent("null", Encoding.UTF8, "application/json"),
            new { from = sender },
            new { text = "DVCNAMHA 000.00.00.H99-991231-9999" },
            new { from = "12345", text = "DVCNAMHA 000.00.00.H99-991231-9999" },
            new { from = "0912 abc 678", text = "DVCNAMHA 000.00.00.H99-991231-9999" },
        })
        {
            var (refused, problem) = await TextAsync(client, Secret, wrong);
            Assert.Equal(HttpStatusCode.BadRequest, refused);
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        }

        Assert.Equal(2, (await TextsToAsync(sender)).Count);
    }

    [Fact]
    public async Task A_sender_gets_at_most_the_configured_number_of_answers_and_others_are_still_answered()
    {
        var looping = NewCitizen.Make().Phone;
        var other = NewCitizen.Make().Phone;
        await using var gateway = Gateway(perSender: "3");
        using var client = gateway.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            // The same number written differently is the same sender.
            var from = i % 2 == 0 ? looping : "+84 " + looping[1..];
            var (status, body) = await TextAsync(client, Secret, new { from, text = "DVCNAMHA 000.00.00.H99-991231-9999" });
            statuses.Add(status);
            if (status == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("10 phút", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(3, (await TextsToAsync(looping)).Count);
        Assert.Equal(HttpStatusCode.OK, (await TextAsync(client, Secret, new { from = other, text = "DVCNAMHA x" })).Status);
        Assert.Single(await TextsToAsync(other));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SmsLookupTestsOnSqlite(SqlitePortal portal) : SmsLookupTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class SmsLookupTestsOnPostgreSql(PostgresPortal portal) : SmsLookupTests(portal);
