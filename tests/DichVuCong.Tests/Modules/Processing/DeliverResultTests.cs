using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Dossiers;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using DichVuCong.Web.Modules.Processing;
using DichVuCong.Web.Modules.Processing.DeliverByPost;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DichVuCong.Tests.Modules.Processing;

/// <summary>
/// The result reaches the applicant the way they chose: online (theirs to download, kept in their data store), at the
/// desk (who took it is recorded), by post (a shipment through the sandbox carrier over HTTP, completed by its webhook).
/// </summary>
public abstract class DeliverResultTests(PortalFixture portal)
{
    internal const string ApiKey = "khoa-api-buu-chinh-kiem-thu";
    internal const string Secret = "bi-mat-webhook-buu-chinh-kiem-thu";
    private const string Address = "Số 12, thôn Đông, xã Yên Bình, tỉnh Nam Hà";

    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The portal with the sandbox carrier on; the carrier's and the webhook's HTTP calls reach the in-memory server.</summary>
    internal static PortalFactory CreatePortal(DatabaseProvider provider, string connectionString)
    {
        PortalFactory? factory = null;
        factory = new PortalFactory(provider, connectionString, new Dictionary<string, string?>
        {
            ["Postal:Sandbox:Enabled"] = "true",
            ["Postal:BaseUrl"] = "http://localhost/sandbox/buu-chinh",
            ["Postal:ApiKey"] = ApiKey,
            ["Postal:WebhookSecret"] = Secret,
        })
        {
            TestServices = s => s.AddHttpClient(HttpPostalService.ClientName).ConfigurePrimaryHttpMessageHandler(() => factory!.Server.CreateHandler()),
        };
        return factory;
    }

    private sealed record Ready(Guid Id, string Code, Applicant Applicant, Officer Reception);

    /// <summary>A khai sinh dossier taken through the process up to "Có kết quả", with a PDF result attached.</summary>
    private async Task<Ready> ResultReadyAsync(DeliveryMethod delivery, string? address = null)
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant, delivery: delivery, deliveryAddress: address);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var clock = TimeProvider.System;
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.Receive)).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, await desk.OfficerAsync(a, Roles.Specialist), id, WorkflowAction.Forward, new ActionInput { Note = "Đã ghi sổ" })).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, await desk.OfficerAsync(a, Roles.Leader), id, WorkflowAction.Approve, new ActionInput { Note = "Đã ký" })).Kind);
        using (var pdf = new MemoryStream(SampleFiles.Pdf()))
        {
            Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.AttachResult, new ActionInput { Files = [new ActionFile("trich-luc-khai-sinh.pdf", pdf)] })).Kind);
        }

        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.ResultReady)).Kind);
        return new Ready(id, code, applicant, reception);
    }

    private Task<HttpClient> CitizenAsync(Applicant applicant) => Accounts.BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);

    private async Task<HttpResponseMessage> WebhookAsync(string? secret, object report)
    {
        using var client = portal.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/postal/webhook", UriKind.Relative)) { Content = JsonContent.Create(report) };
        if (secret is not null)
        {
            request.Headers.Add(PostalWebhook.SecretHeader, secret);
        }

        return await client.SendAsync(request, Cancel);
    }

    private async Task<Shipment?> ShipmentAsync(Guid dossierId)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<Shipment>().AsNoTracking().Include(s => s.Events)
            .OrderByDescending(s => s.CreatedAt).FirstOrDefaultAsync(s => s.DossierId == dossierId, Cancel);
    }

    /// <summary>Presses a button of the sandbox carrier's page; the sandbox then calls the portal's webhook.</summary>
    private async Task AdvanceAsync(HttpClient carrier, string tracking, string status)
    {
        var page = await carrier.GetPageAsync("/sandbox/buu-chinh");
        using var pressed = await carrier.SubmitAsync(page, $"#bao-{tracking}-{status}", new Dictionary<string, string>());
        var after = await carrier.FollowAsync(pressed);
        Assert.StartsWith("Đã báo Cổng: " + tracking, after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_online_result_is_the_owners_to_download_and_is_kept_in_their_personal_store()
    {
        var ready = await ResultReadyAsync(DeliveryMethod.Online);
        var result = Assert.Single((await desk.LoadAsync(ready.Id)).Files, f => f.Kind == DossierFileKind.Result);
        using var owner = await CitizenAsync(ready.Applicant);
        using (var early = await owner.GetAsync(new Uri($"/ho-so-cua-toi/{ready.Id}/tep/{result.Id}", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }

        // No one to name at the desk: online needs no receiver.
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, ready.Reception, ready.Id, WorkflowAction.HandBack)).Kind);
        Assert.Equal(DossierStatus.Completed, (await desk.LoadAsync(ready.Id)).Status);

        var page = await owner.GetPageAsync($"/ho-so-cua-toi/{ready.Id}");
        Assert.Equal("Kết quả giải quyết", page.QuerySelector("#ket-qua h2").Text());
        Assert.Equal("trich-luc-khai-sinh.pdf", page.QuerySelector("#ket-qua a").Text());
        Assert.Contains("kho dữ liệu cá nhân", page.QuerySelector("#ket-qua").Text(), StringComparison.Ordinal);
        Assert.Equal(SampleFiles.Pdf(), await owner.GetByteArrayAsync(new Uri($"/ho-so-cua-toi/{ready.Id}/tep/{result.Id}", UriKind.Relative), Cancel));

        PersonalDocument kept;
        using (var scope = portal.Services.CreateScope())
        {
            kept = Assert.Single(await scope.ServiceProvider.GetRequiredService<AppDbContext>().PersonalDocuments.AsNoTracking().Where(d => d.OwnerId == ready.Applicant.Id).ToListAsync(Cancel));
        }

        Assert.Equal(("Kết quả", "trich-luc-khai-sinh.pdf", (DateOnly?)null, (Guid?)ready.Id), (kept.DocumentType, kept.FileName, kept.ValidUntil, kept.SourceDossierId));
        Assert.Equal(SampleFiles.Pdf(), await owner.GetByteArrayAsync(new Uri($"/ho-so-cua-toi/kho/{kept.Id}", UriKind.Relative), Cancel));
        Assert.Contains("trich-luc-khai-sinh.pdf", (await owner.GetPageAsync("/ho-so-cua-toi")).QuerySelector("#kho").Text(), StringComparison.Ordinal);

        using var stranger = await CitizenAsync(await desk.ApplicantAsync());
        using (var theirs = await stranger.GetAsync(new Uri($"/ho-so-cua-toi/{ready.Id}/tep/{result.Id}", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        }

        using (var stored = await stranger.GetAsync(new Uri($"/ho-so-cua-toi/kho/{kept.Id}", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        }
    }

    [Fact]
    public async Task The_desk_hand_back_form_asks_who_took_the_result_and_keeps_what_was_typed()
    {
        var ready = await ResultReadyAsync(DeliveryMethod.AtDesk);
        using var officer = await desk.BrowserAsync(ready.Reception);
        var page = await officer.GetPageAsync($"/can-bo/ho-so/{ready.Id}");
        using var missing = await officer.SubmitAsync(page, "#form-hand-back", new Dictionary<string, string>
        {
            ["ReceiverName"] = "", ["ReceiverIdentity"] = "001090123456", ["ReceiverRelation"] = "authorised",
        });
        var again = await Html.ParseAsync(missing);
        Assert.Equal("Nhập họ tên người nhận kết quả.", again.QuerySelector("#hand-back-nguoi-nhan-error").Text());
        Assert.Equal("001090123456", again.QuerySelector("#hand-back-cccd")!.GetAttribute("value"));
        Assert.True(again.QuerySelector("#form-hand-back input[name=ReceiverRelation][value=authorised]")!.HasAttribute("checked"));
        Assert.Equal(DossierStatus.ResultReady, (await desk.LoadAsync(ready.Id)).Status);

        using var done = await officer.SubmitAsync(again, "#form-hand-back", new Dictionary<string, string> { ["ReceiverName"] = "Trần Văn Ủy" });
        var after = await officer.FollowAsync(done);
        Assert.Equal("Đã trả kết quả", after.QuerySelector("#trang-thai").Text());
        Assert.Equal("Người nhận: Trần Văn Ủy · CCCD 001090123456 (người được ủy quyền)", after.QuerySelector("#qua-trinh .nguoi-nhan").Text());
        var recorded = (await desk.LoadAsync(ready.Id)).Actions.Single(a => a.Action == WorkflowAction.HandBack).ReceivedBy;
        Assert.Equal(new ResultReceiver("Trần Văn Ủy", "001090123456", ReceiverRelation.Authorised), recorded);
    }

    [Fact]
    public async Task A_postal_result_is_shipped_through_the_carrier_and_completes_when_delivered()
    {
        var ready = await ResultReadyAsync(DeliveryMethod.Post, Address);
        using var officer = await desk.BrowserAsync(ready.Reception);
        using (var handed = await officer.PostAsJsonAsync(new Uri($"/api/v1/backoffice/dossiers/{ready.Id}/actions/hand-back", UriKind.Relative), new { }, Cancel))
        {
            Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
            var view = JsonDocument.Parse(await handed.Content.ReadAsStringAsync(Cancel)).RootElement;
            Assert.Equal("result_ready", view.GetProperty("dossier").GetProperty("status").GetString());
            Assert.Equal("created", view.GetProperty("shipments")[0].GetProperty("status").GetString());
        }

        var shipment = await ShipmentAsync(ready.Id);
        Assert.NotNull(shipment);
        var tracking = shipment.TrackingNumber;
        Assert.Matches("^EB[0-9]{9}VN$", tracking);
        using (var scope = portal.Services.CreateScope())
        {
            var order = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<SandboxPostalOrder>().AsNoTracking().SingleAsync(o => o.TrackingNumber == tracking, Cancel);
            Assert.Equal((ready.Code, Address), (order.OrderCode, order.ReceiverAddress));
        }

        // Posting is not the hand-back: still "Có kết quả", no completion notice, no second shipment.
        var posted = await desk.LoadAsync(ready.Id);
        Assert.Equal(DossierStatus.ResultReady, posted.Status);
        Assert.DoesNotContain(await desk.MessagesAsync(ready.Applicant.Email), m => m.Purpose == "ho-so-hand-back");

        // The applicant is told it is on its way, with the number to follow it by, in all three channels.
        Assert.Contains(tracking, Assert.Single(await desk.MessagesAsync(ready.Applicant.Email), m => m.Purpose == "ho-so-posted").Body, StringComparison.Ordinal);
        Assert.Contains($"so hieu {tracking}", Assert.Single(await desk.MessagesAsync(ready.Applicant.Phone), m => m.Purpose == "ho-so-posted").Body, StringComparison.Ordinal);
        using (var scope = portal.Services.CreateScope())
        {
            var inApp = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<InAppNotification>().AsNoTracking().Where(n => n.UserId == ready.Applicant.Id && n.DossierId == ready.Id).Select(n => n.Body).ToListAsync(Cancel);
            Assert.Contains(inApp, b => b.Contains("số hiệu bưu gửi " + tracking, StringComparison.Ordinal));
        }

        var twice = await desk.ActAsync(TimeProvider.System, ready.Reception, ready.Id, WorkflowAction.HandBack);
        Assert.Equal(OutcomeKind.Conflict, twice.Kind);
        Assert.Contains("đang gửi qua bưu chính", twice.Message, StringComparison.Ordinal);

        using var citizen = await CitizenAsync(ready.Applicant);
        var mine = await citizen.GetPageAsync($"/ho-so-cua-toi/{ready.Id}");
        Assert.Equal(tracking, mine.QuerySelector("#buu-gui .tracking").Text());
        Assert.Contains("Đang gửi qua bưu chính", mine.QuerySelector("#dang-gui").Text(), StringComparison.Ordinal);
        Assert.Equal(tracking, (await officer.GetPageAsync($"/can-bo/ho-so/{ready.Id}")).QuerySelector("#buu-gui .tracking").Text());

        // Only the carrier, with the shared secret, may report.
        using (var wrong = await WebhookAsync("doan-sai", new { trackingNumber = tracking, status = "delivered" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var none = await WebhookAsync(null, new { trackingNumber = tracking, status = "delivered" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        using var carrier = portal.CreateClient();
        await AdvanceAsync(carrier, tracking, "accepted");
        await AdvanceAsync(carrier, tracking, "in_transit");
        Assert.Equal(DossierStatus.ResultReady, (await desk.LoadAsync(ready.Id)).Status);
        Assert.Equal(ShipmentStatus.InTransit, (await ShipmentAsync(ready.Id))!.Status);
        Assert.Equal("Đang vận chuyển", (await citizen.GetPageAsync($"/ho-so-cua-toi/{ready.Id}")).QuerySelector("#buu-gui .state").Text());

        using (var delivered = await WebhookAsync(Secret, new { trackingNumber = tracking, status = "delivered", at = DateTimeOffset.UtcNow, codCollected = 25000 }))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        var done = await desk.LoadAsync(ready.Id);
        Assert.Equal(DossierStatus.Completed, done.Status);
        Assert.NotNull(done.FinishedAt);
        Assert.Contains(done.Timeliness, new DossierTimeliness?[] { DossierTimeliness.Early, DossierTimeliness.OnTime });
        Assert.Contains($"Bưu chính đã giao kết quả (số hiệu {tracking})", done.Actions.Where(a => a.Action == WorkflowAction.HandBack).Select(a => a.Note));
        var final = (await ShipmentAsync(ready.Id))!;
        Assert.Equal((ShipmentStatus.Delivered, (long?)25000), (final.Status, final.CodCollected));
        Assert.Equal([ShipmentStatus.Accepted, ShipmentStatus.InTransit, ShipmentStatus.Delivered], final.Events.OrderBy(e => e.Id).Select(e => e.Status));
        Assert.Single(await desk.MessagesAsync(ready.Applicant.Email), m => m.Purpose == "ho-so-hand-back");
        Assert.Equal("Đã trả kết quả", (await citizen.GetPageAsync($"/ho-so-cua-toi/{ready.Id}")).QuerySelector("#trang-thai").Text());

        // The carrier repeating itself changes nothing more.
        using (var repeated = await WebhookAsync(Secret, new { trackingNumber = tracking, status = "delivered", codCollected = 25000 }))
        {
            Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        }

        Assert.Single(await desk.MessagesAsync(ready.Applicant.Email), m => m.Purpose == "ho-so-hand-back");
        Assert.Equal(done.Actions.Count, (await desk.LoadAsync(ready.Id)).Actions.Count);
    }

    [Fact]
    public async Task A_returned_shipment_goes_back_to_the_officers_to_hand_back_again()
    {
        var ready = await ResultReadyAsync(DeliveryMethod.Post, Address);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, ready.Reception, ready.Id, WorkflowAction.HandBack)).Kind);
        var tracking = (await ShipmentAsync(ready.Id))!.TrackingNumber;

        using var carrier = portal.CreateClient();
        await AdvanceAsync(carrier, tracking, "accepted");
        await AdvanceAsync(carrier, tracking, "in_transit");
        await AdvanceAsync(carrier, tracking, "returned");

        var back = await desk.LoadAsync(ready.Id);
        Assert.Equal(DossierStatus.ResultReady, back.Status);
        Assert.Null(back.PostedAt);
        Assert.Contains($"Bưu gửi {tracking} bị chuyển hoàn về cơ quan", back.Events.Select(e => e.Note));
        Assert.Equal(ShipmentStatus.Returned, (await ShipmentAsync(ready.Id))!.Status);

        using var officer = await desk.BrowserAsync(ready.Reception);
        var page = await officer.GetPageAsync($"/can-bo/ho-so/{ready.Id}");
        Assert.Equal("Chuyển hoàn", page.QuerySelector("#buu-gui .state").Text());
        Assert.NotNull(page.QuerySelector("#form-hand-back"));
    }

    [Fact]
    public async Task When_the_carrier_fails_the_hand_back_fails_and_nothing_changes()
    {
        var ready = await ResultReadyAsync(DeliveryMethod.Post, Address);
        var before = await desk.LoadAsync(ready.Id);

        foreach (var settings in new[]
        {
            new PostalOptions { BaseUrl = "http://localhost/sandbox/khong-co-buu-chinh", ApiKey = ApiKey },
            new PostalOptions { BaseUrl = "http://localhost/sandbox/buu-chinh", ApiKey = "khoa-sai" },
        })
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var carrier = new HttpPostalService(scope.ServiceProvider.GetRequiredService<IHttpClientFactory>(), Options.Create(settings), NullLogger<HttpPostalService>.Instance);
            var processing = ActivatorUtilities.CreateInstance<DossierProcessing>(scope.ServiceProvider, TimeProvider.System, (IPostalService)carrier);
            var outcome = await processing.ActAsync(ready.Reception.User, ready.Id, WorkflowAction.HandBack, new ActionInput(), Cancel);

            Assert.Equal(OutcomeKind.Unavailable, outcome.Kind);
            Assert.Contains("Dịch vụ bưu chính không nhận bưu gửi", outcome.Message, StringComparison.Ordinal);
        }

        var after = await desk.LoadAsync(ready.Id);
        Assert.Equal((DossierStatus.ResultReady, before.Actions.Count, before.Events.Count, (DateTime?)null), (after.Status, after.Actions.Count, after.Events.Count, after.PostedAt));
        Assert.Null(await ShipmentAsync(ready.Id));
    }
}

public sealed class PostalSqlitePortal : SqlitePortal
{
    internal override PortalFactory CreateFactory(string connectionString) => DeliverResultTests.CreatePortal(Provider, connectionString);
}

public sealed class PostalPostgresPortal : PostgresPortal
{
    internal override PortalFactory CreateFactory(string connectionString) => DeliverResultTests.CreatePortal(Provider, connectionString);
}

public sealed class DeliverResultTestsOnSqlite(PostalSqlitePortal portal) : DeliverResultTests(portal), IClassFixture<PostalSqlitePortal>;

public sealed class DeliverResultTestsOnPostgreSql(PostalPostgresPortal portal) : DeliverResultTests(portal), IClassFixture<PostalPostgresPortal>;

/// <summary>A portal run without postal settings: no sandbox carrier, and every callback refused.</summary>
[Collection(SqliteCollection.Name)]
public sealed class PostalConfigurationTests(SqlitePortal portal)
{
    [Fact]
    public async Task Without_settings_the_sandbox_carrier_is_absent_and_callbacks_are_refused()
    {
        using var client = portal.CreateClient();
        var cancel = TestContext.Current.CancellationToken;
        using (var page = await client.GetAsync(new Uri("/sandbox/buu-chinh", UriKind.Relative), cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        using (var order = await client.PostAsJsonAsync(new Uri("/sandbox/buu-chinh/orders", UriKind.Relative), new { orderCode = "X" }, cancel))
        {
            // No such endpoint (another route may own the path for GET, hence 405 rather than 404).
            Assert.Contains(order.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/postal/webhook", UriKind.Relative)) { Content = JsonContent.Create(new { trackingNumber = "EB000000000VN", status = "delivered" }) };
        request.Headers.Add(PostalWebhook.SecretHeader, "");
        using var callback = await client.SendAsync(request, cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, callback.StatusCode);
    }
}
