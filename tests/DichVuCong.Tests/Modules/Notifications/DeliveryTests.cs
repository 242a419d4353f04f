using System.Globalization;
using System.Net;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Notifications;

/// <summary>
/// Delivery states, the attempt log and SMS failover, and what officers see of them on a dossier. The SMS
/// tests run a dispatcher of their own on a clock ten minutes ahead (see <see cref="Dispatchers"/>), so each
/// attempt happens when the test says, not when the portal's own dispatcher wakes.
/// </summary>
public abstract class DeliveryTests(PortalFixture portal)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static NotificationsOptions TwoProviders(SmsGatewayReceiver a, SmsGatewayReceiver b, int maxAttempts = 8) => new()
    {
        MaxAttempts = maxAttempts,
        FirstRetryDelay = TimeSpan.FromSeconds(30),
        Sms = new SmsGatewayOptions
        {
            Brandname = "UBND NAM HA",
            Providers = [new() { Name = "sms-a", Url = a.Url, ApiKey = "khoa-a" }, new() { Name = "sms-b", Url = b.Url, ApiKey = "khoa-b" }],
        },
    };

    private static FakeTimeProvider Ahead() => new(DateTimeOffset.UtcNow.AddMinutes(10));

    private async Task<Guid> EnqueueAsync(params OutboxMessage[] messages)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.OutboxMessages.AddRange(messages);
        await db.SaveChangesAsync(Cancel);
        return messages[0].Id;
    }

    private async Task<(OutboxMessage Message, List<DeliveryAttempt> Log)> LoadAsync(Guid id)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, Cancel);
        var log = await db.Set<DeliveryAttempt>().AsNoTracking().Where(a => a.MessageId == id).ToListAsync(Cancel);
        return (message, [.. log.OrderBy(a => a.Id)]);
    }

    private static int Requests(SmsGatewayReceiver gateway, Guid id) => gateway.Seen.Count(s => s == id.ToString("N"));

    [Fact]
    public async Task When_the_first_sms_provider_fails_the_second_delivers_the_text_once_and_the_log_shows_both()
    {
        _ = portal.Services;
        using var a = new SmsGatewayReceiver("khoa-a") { FailWith = 500 };
        using var b = new SmsGatewayReceiver("khoa-b");
        var clock = Ahead();
        // No cool-down: messages earlier tests left due in the same batch must not send "sms-a" to the back first.
        var options = TwoProviders(a, b);
        options.Sms.Cooldown = TimeSpan.Zero;
        var dispatcher = Dispatchers.Over(portal, options, clock);
        var id = await EnqueueAsync(OutboxMessage.Sms("0912345678", "Ho so H99.1 da duoc tiep nhan", "ho-so-receive", clock.GetUtcNow().UtcDateTime));

        await dispatcher.DispatchDueAsync(Cancel);

        var (message, log) = await LoadAsync(id);
        Assert.Equal((DeliveryState.Sent, "sms-b", 1), (message.State, message.Transport, message.Attempts));
        Assert.Equal(("sent", "Đã gửi"), (DeliveryStates.Code(message), DeliveryStates.Label(message)));
        var text = Assert.Single(b.Received, r => r.GetProperty("id").GetString() == id.ToString("N"));
        Assert.Equal("UBND NAM HA", text.GetProperty("brandname").GetString());
        Assert.Equal("Ho so H99.1 da duoc tiep nhan", text.GetProperty("text").GetString());
        Assert.Equal(1, Requests(a, id));
        Assert.Collection(
            log,
            first =>
            {
                Assert.Equal(("sms-a", false), (first.Transport, first.Succeeded));
                Assert.Contains("500", first.Error, StringComparison.Ordinal);
            },
            second => Assert.Equal(("sms-b", true, (string?)null), (second.Transport, second.Succeeded, second.Error)));
    }

    [Fact]
    public async Task A_provider_that_just_failed_is_asked_last_until_its_cool_down_is_over()
    {
        _ = portal.Services;
        using var a = new SmsGatewayReceiver("khoa-a") { FailWith = 503 };
        using var b = new SmsGatewayReceiver("khoa-b");
        var clock = Ahead();
        var options = TwoProviders(a, b);
        var dispatcher = Dispatchers.Over(portal, options, clock, new SmsProviderHealth(Options.Create(options), clock));

        var first = await EnqueueAsync(OutboxMessage.Sms("0912345001", "Tin 1", "test", clock.GetUtcNow().UtcDateTime));
        await dispatcher.DispatchDueAsync(Cancel);
        var second = await EnqueueAsync(OutboxMessage.Sms("0912345002", "Tin 2", "test", clock.GetUtcNow().UtcDateTime));
        await dispatcher.DispatchDueAsync(Cancel);
        clock.Advance(options.Sms.Cooldown + TimeSpan.FromSeconds(1));
        var third = await EnqueueAsync(OutboxMessage.Sms("0912345003", "Tin 3", "test", clock.GetUtcNow().UtcDateTime));
        await dispatcher.DispatchDueAsync(Cancel);

        Assert.Equal(["sms-a", "sms-b"], (await LoadAsync(first)).Log.Select(x => x.Transport));
        Assert.Equal(["sms-b"], (await LoadAsync(second)).Log.Select(x => x.Transport));
        Assert.Equal(0, Requests(a, second));
        Assert.Equal(["sms-a", "sms-b"], (await LoadAsync(third)).Log.Select(x => x.Transport));
        Assert.All([first, second, third], id => Assert.Equal(1, Requests(b, id)));
    }

    [Fact]
    public async Task When_every_provider_fails_the_text_waits_for_its_next_attempt_is_given_up_after_the_last_and_can_be_sent_again()
    {
        _ = portal.Services;
        using var a = new SmsGatewayReceiver("khoa-a") { FailWith = 500 };
        using var b = new SmsGatewayReceiver("khoa-b") { FailWith = 502 };
        var clock = Ahead();
        var dispatcher = Dispatchers.Over(portal, TwoProviders(a, b, maxAttempts: 2), clock);
        var dossierId = Guid.NewGuid();
        var id = await EnqueueAsync(OutboxMessage.Sms("0912345678", "Ho so can bo sung", "ho-so-request-supplement", clock.GetUtcNow().UtcDateTime).About(dossierId));

        await dispatcher.DispatchDueAsync(Cancel);

        var (message, log) = await LoadAsync(id);
        Assert.Equal((DeliveryState.Failed, 1, "failed"), (message.State, message.Attempts, DeliveryStates.Code(message)));
        Assert.Equal(clock.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(30), message.NextAttemptAt, TimeSpan.FromMilliseconds(1)); // PostgreSQL keeps microseconds
        Assert.Equal("Gửi lỗi, sẽ thử lại lúc " + VietnamTime.ToLocal(message.NextAttemptAt).ToString("HH:mm", CultureInfo.InvariantCulture), DeliveryStates.Label(message));
        Assert.Contains("502", message.LastError, StringComparison.Ordinal);
        Assert.Equal([("sms-a", false), ("sms-b", false)], log.Select(x => (x.Transport, x.Succeeded)));

        // Not due yet: nothing happens.
        await dispatcher.DispatchDueAsync(Cancel);
        Assert.Equal(2, (await LoadAsync(id)).Log.Count);

        clock.Advance(TimeSpan.FromSeconds(30));
        await dispatcher.DispatchDueAsync(Cancel);
        (message, log) = await LoadAsync(id);
        Assert.Equal((DeliveryState.GaveUp, 2, "gave_up"), (message.State, message.Attempts, DeliveryStates.Code(message)));
        Assert.Equal("Đã ngừng gửi sau 2 lần thử", DeliveryStates.Label(message));
        Assert.Equal(4, log.Count);
        Assert.Empty(b.Received);

        // Given up: no dispatcher touches it again, however long it waits.
        clock.Advance(TimeSpan.FromHours(1));
        await dispatcher.DispatchDueAsync(Cancel);
        Assert.Equal(4, (await LoadAsync(id)).Log.Count);

        // "Gửi lại" once the second provider is back: queued afresh, then sent.
        b.FailWith = null;
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.False(await DossierMessages.ResendAsync(db, Guid.NewGuid(), id, clock.GetUtcNow().UtcDateTime, Cancel));
            Assert.True(await DossierMessages.ResendAsync(db, dossierId, id, clock.GetUtcNow().UtcDateTime, Cancel));
        }

        (message, _) = await LoadAsync(id);
        Assert.Equal(("queued", "Đang chờ gửi", 0), (DeliveryStates.Code(message), DeliveryStates.Label(message), message.Attempts));
        await dispatcher.DispatchDueAsync(Cancel);
        (message, log) = await LoadAsync(id);
        Assert.Equal((DeliveryState.Sent, "sms-b", "Đã gửi"), (message.State, message.Transport, DeliveryStates.Label(message)));
        Assert.Single(b.Received, r => r.GetProperty("id").GetString() == id.ToString("N"));
        Assert.Equal(("sms-b", true), (log[^1].Transport, log[^1].Succeeded));
        using (var scope = portal.Services.CreateScope())
        {
            Assert.False(await DossierMessages.ResendAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), dossierId, id, clock.GetUtcNow().UtcDateTime, Cancel));
        }
    }

    [Fact]
    public async Task Officers_of_the_agency_see_what_the_applicant_was_told_masked_with_its_state_and_may_send_a_given_up_message_again()
    {
        var desk = new Desk(portal);
        var (commune, other) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (dossierId, _) = await desk.SubmittedAsync(Desk.BirthCode, commune, applicant);
        var (otherDossier, _) = await desk.SubmittedAsync(Desk.BirthCode, commune, applicant);

        // Messages in every state, made the way the dispatcher leaves them; due only tomorrow, so nothing sends them meanwhile.
        var t = DateTime.UtcNow.AddDays(1);
        var sent = OutboxMessage.Email(applicant.Email, "Hồ sơ đã được tiếp nhận", "Nội dung", "ho-so-receive", t).About(dossierId);
        sent.MarkSent("smtp", t);
        var retried = OutboxMessage.Sms(applicant.Phone, "Ho so da duoc tiep nhan", "ho-so-receive", t.AddMinutes(1)).About(dossierId);
        retried.MarkFailed("Nhà cung cấp SMS trả lời 500 Internal Server Error.", t, 8, TimeSpan.FromSeconds(30));
        retried.MarkSent("sms-b", t.AddMinutes(1));
        var failed = OutboxMessage.Email(applicant.Email, "Yêu cầu bổ sung hồ sơ", "Nội dung", "ho-so-request-supplement", t.AddMinutes(2)).About(dossierId);
        failed.MarkFailed("Try again later", t.AddMinutes(2), 8, TimeSpan.FromMinutes(5));
        var gaveUp = OutboxMessage.Sms(applicant.Phone, "Ho so can bo sung", "ho-so-request-supplement", t.AddMinutes(3)).About(dossierId);
        gaveUp.MarkFailed("Nhà cung cấp SMS trả lời 503 Service Unavailable.", t.AddMinutes(3), 1, TimeSpan.FromSeconds(30));
        var queued = OutboxMessage.Sms(applicant.Phone, "Ho so da co ket qua", "ho-so-result-ready", t.AddMinutes(4)).About(dossierId);
        var elsewhere = OutboxMessage.Sms(applicant.Phone, "Ho so khac", "ho-so-receive", t).About(otherDossier);
        await EnqueueAsync(sent, retried, failed, gaveUp, queued, elsewhere);
        using (var scope = portal.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<DeliveryAttempt>().AddRange(
                DeliveryAttempt.Of(retried.Id, "sms-a", t, "Nhà cung cấp SMS trả lời 500 Internal Server Error."),
                DeliveryAttempt.Of(retried.Id, "sms-b", t.AddMinutes(1), null));
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync(Cancel);
        }

        using var officer = await desk.BrowserAsync(await desk.OfficerAsync(commune, Roles.Reception));
        var page = await officer.GetPageAsync($"/can-bo/ho-so/{dossierId}");

        Assert.Equal("Thông báo gửi người nộp", page.QuerySelector("#thong-bao-tieu-de").Text());
        var rows = page.QuerySelectorAll("#thong-bao tbody tr");
        Assert.Equal([queued.Id, gaveUp.Id, failed.Id, retried.Id, sent.Id], rows.Select(r => Guid.Parse(r.Id!["thong-bao-".Length..])));
        Assert.Equal(
            [
                "Đang chờ gửi",
                "Đã ngừng gửi sau 1 lần thử",
                "Gửi lỗi, sẽ thử lại lúc " + VietnamTime.ToLocal(failed.NextAttemptAt).ToString("HH:mm", CultureInfo.InvariantCulture),
                "Đã gửi sau 2 lần thử",
                "Đã gửi",
            ],
            rows.Select(r => r.QuerySelector(".state").Text()));
        Assert.Equal(["queued", "gave_up", "failed", "retried", "sent"], rows.Select(r => r.GetAttribute("data-state")));
        Assert.Equal(Contacts.MaskPhone(applicant.Phone), rows[0].QuerySelector(".recipient").Text());
        Assert.Equal(Contacts.MaskEmail(applicant.Email), rows[4].QuerySelector(".recipient").Text());
        var table = page.QuerySelector("#thong-bao")!.TextContent;
        Assert.DoesNotContain(applicant.Phone, table, StringComparison.Ordinal);
        Assert.DoesNotContain(applicant.Email, table, StringComparison.Ordinal);
        Assert.Contains("Yêu cầu bổ sung hồ sơ", rows[2].Text(), StringComparison.Ordinal);
        Assert.Contains("Try again later", rows[2].Text(), StringComparison.Ordinal);
        Assert.Contains("sms-a: lỗi", rows[3].Text(), StringComparison.Ordinal);
        Assert.Contains("sms-b: đã gửi", rows[3].Text(), StringComparison.Ordinal);
        Assert.Equal(["Gửi lại"], page.QuerySelectorAll("#thong-bao button").Select(x => x.Text()));
        Assert.NotNull(rows[1].QuerySelector("form button"));

        // The officers' API lists the same, with state codes.
        using (var response = await officer.GetAsync(new Uri($"/api/v1/backoffice/dossiers/{dossierId}", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
            var notifications = json.RootElement.GetProperty("notifications").EnumerateArray().ToList();
            Assert.Equal(["queued", "gave_up", "failed", "retried", "sent"], notifications.Select(n => n.GetProperty("state").GetString()));
            Assert.Equal(Contacts.MaskPhone(applicant.Phone), notifications[0].GetProperty("recipient").GetString());
            Assert.Equal(["sms-a", "sms-b"], notifications[3].GetProperty("tries").EnumerateArray().Select(x => x.GetProperty("transport").GetString()));
        }

        // The administrators' list of sent messages shows the same labels.
        using (var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantri"))
        {
            var list = await admin.GetPageAsync("/quan-tri/thu-da-gui?nguoi-nhan=" + Uri.EscapeDataString(applicant.Email));
            Assert.All(list.QuerySelectorAll("tbody tr"), r => Assert.Contains(applicant.Email, r.Text(), StringComparison.Ordinal));
            var row = list.QuerySelectorAll("tbody tr").Single(r => r.Text().Contains(applicant.Email, StringComparison.Ordinal) && r.Text().Contains("Yêu cầu bổ sung hồ sơ", StringComparison.Ordinal));
            Assert.Contains("Gửi lỗi, sẽ thử lại lúc", row.QuerySelector("td[data-label='Trạng thái']").Text(), StringComparison.Ordinal);
        }

        // Another commune's officer does not learn of the dossier; a citizen does not reach the desk.
        using var stranger = await desk.BrowserAsync(await desk.OfficerAsync(other, Roles.Reception));
        using (var response = await stranger.GetAsync(new Uri($"/can-bo/ho-so/{dossierId}", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var citizen = await BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);
        using (var response = await citizen.GetAsync(new Uri($"/can-bo/ho-so/{dossierId}", UriKind.Relative), Cancel))
        {
            Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(response));
        }

        // "Gửi lại": back in the queue, and the portal (no SMS gateway configured here) then delivers it.
        var before = page;
        using (var resent = await officer.SubmitAsync(page, $"#thong-bao-{gaveUp.Id} form", new Dictionary<string, string>()))
        {
            Assert.Equal($"/can-bo/ho-so/{dossierId}", BackOffice.RedirectPath(resent));
        }

        var until = DateTime.UtcNow.AddSeconds(20);
        OutboxMessage now;
        do
        {
            await Task.Delay(50, Cancel);
            now = (await LoadAsync(gaveUp.Id)).Message;
        }
        while (now.State != DeliveryState.Sent && DateTime.UtcNow < until);
        Assert.Equal(DeliveryState.Sent, now.State);
        page = await officer.GetPageAsync($"/can-bo/ho-so/{dossierId}");
        Assert.Equal("Đã gửi", page.QuerySelector($"#thong-bao-{gaveUp.Id} .state").Text());
        Assert.Empty(page.QuerySelectorAll("#thong-bao button"));

        // Pressed again from the old page: it is no longer given up, so nothing is queued twice.
        using (var again = await officer.SubmitAsync(before, $"#thong-bao-{gaveUp.Id} form", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            var answer = await Html.ParseAsync(again);
            Assert.Contains("không còn ở trạng thái ngừng gửi", answer.QuerySelector("#loi-thao-tac").Text(), StringComparison.Ordinal);
        }

        now = (await LoadAsync(gaveUp.Id)).Message;
        Assert.Equal((DeliveryState.Sent, 1), (now.State, now.Attempts));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class DeliveryTestsOnSqlite(SqlitePortal portal) : DeliveryTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class DeliveryTestsOnPostgreSql(PostgresPortal portal) : DeliveryTests(portal);

/// <summary>The SMS providers are checked when the portal starts, not when the first text fails.</summary>
public sealed class SmsProviderOptionsTests
{
    [Fact]
    public async Task A_provider_without_a_url_stops_the_portal_from_starting_with_a_clear_reason()
    {
        await using var portal = new PortalFactory(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), new Dictionary<string, string?>
        {
            ["Notifications:Sms:Url"] = "http://127.0.0.1:9/api/sms/send",
            ["Notifications:Sms:Providers:0:Name"] = "sms-du-phong",
        });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => portal.Services);
        Assert.Contains("Notifications:Sms:Providers:0: cần Url", error.Message, StringComparison.Ordinal);
    }
}
