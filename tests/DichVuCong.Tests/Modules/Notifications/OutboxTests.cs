using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace DichVuCong.Tests.Modules.Notifications;

public sealed class OutboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static PortalFactory Portal(DatabaseProvider provider, string connectionString, Dictionary<string, string?> settings)
    {
        settings.TryAdd("Notifications:PollInterval", "00:00:00.200");
        settings.TryAdd("Notifications:FirstRetryDelay", "00:00:00.200");
        return new PortalFactory(provider, connectionString, settings);
    }

    private static Dictionary<string, string?> Smtp(SmtpReceiver receiver) => new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Smtp:UseStartTls"] = "false",
        ["Notifications:Smtp:From"] = "dichvucong@namha.gov.vn",
    };

    private static async Task<Guid> EnqueueAsync(PortalFactory portal, OutboxMessage message)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return message.Id;
    }

    private static async Task<OutboxMessage> WaitForStateAsync(PortalFactory portal, Guid id, Func<OutboxMessage, bool> done)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            using var scope = portal.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, TestContext.Current.CancellationToken);
            if (done(message) || DateTime.UtcNow > until)
            {
                return message;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task An_email_in_the_outbox_arrives_over_smtp_with_its_vietnamese_text_intact()
    {
        await using var smtp = new SmtpReceiver();
        await using var portal = Portal(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), Smtp(smtp));

        var id = await EnqueueAsync(portal, OutboxMessage.Email("an.nguyen@example.vn", "Mã xác thực đăng ký", "Mã xác thực của bạn là 123456. Mã có hiệu lực trong 5 phút.", "otp-dang-ky", DateTime.UtcNow));

        Assert.True(await smtp.WaitForAsync(1, Patience), "the message reached the SMTP server");
        var (from, to, data) = Assert.Single(smtp.Messages);
        Assert.StartsWith("<dichvucong@namha.gov.vn>", from, StringComparison.Ordinal);
        Assert.Equal(["<an.nguyen@example.vn>"], to);
        using var raw = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(data));
        var mail = await MimeMessage.LoadAsync(raw, TestContext.Current.CancellationToken);
        Assert.Equal("Mã xác thực đăng ký", mail.Subject);
        Assert.Contains("Mã xác thực của bạn là 123456", mail.TextBody, StringComparison.Ordinal);
        var stored = await WaitForStateAsync(portal, id, m => m.State == DeliveryState.Sent);
        Assert.Equal(DeliveryState.Sent, stored.State);
        Assert.Equal("smtp", stored.Transport);
        Assert.Equal(1, stored.Attempts);
    }

    [Fact]
    public async Task A_refused_email_is_tried_again_later_and_then_delivered()
    {
        await using var smtp = new SmtpReceiver(refuseFirst: 1);
        await using var portal = Portal(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), Smtp(smtp));

        var id = await EnqueueAsync(portal, OutboxMessage.Email("binh@example.vn", "Hồ sơ đã được tiếp nhận", "Nội dung", "test", DateTime.UtcNow));

        var stored = await WaitForStateAsync(portal, id, m => m.State == DeliveryState.Sent);
        Assert.Equal(DeliveryState.Sent, stored.State);
        Assert.Equal(2, stored.Attempts);
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task After_the_last_attempt_the_message_is_marked_given_up_with_the_reason()
    {
        await using var smtp = new SmtpReceiver { RefuseAll = true };
        var settings = Smtp(smtp);
        settings["Notifications:MaxAttempts"] = "3";
        await using var portal = Portal(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), settings);

        var id = await EnqueueAsync(portal, OutboxMessage.Email("cuong@example.vn", "Thông báo", "Nội dung", "test", DateTime.UtcNow));

        var stored = await WaitForStateAsync(portal, id, m => m.State == DeliveryState.GaveUp);
        Assert.Equal(DeliveryState.GaveUp, stored.State);
        Assert.Equal(3, stored.Attempts);
        Assert.Contains("Try again later", stored.LastError, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task A_text_goes_to_the_sms_gateway_over_http_with_brandname_and_key()
    {
        using var gateway = new SmsGatewayReceiver("khoa-bi-mat");
        await using var portal = Portal(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), new()
        {
            ["Notifications:Sms:Url"] = gateway.Url.ToString(),
            ["Notifications:Sms:Brandname"] = "UBND NAM HA",
            ["Notifications:Sms:ApiKey"] = "khoa-bi-mat",
        });

        var id = await EnqueueAsync(portal, OutboxMessage.Sms("0912345678", "Ma xac thuc: 654321", "otp", DateTime.UtcNow));

        var stored = await WaitForStateAsync(portal, id, m => m.State == DeliveryState.Sent);
        Assert.Equal("sms-gateway", stored.Transport);
        var request = Assert.Single(gateway.Received);
        Assert.Equal("UBND NAM HA", request.GetProperty("brandname").GetString());
        Assert.Equal("0912345678", request.GetProperty("to").GetString());
        Assert.Equal("Ma xac thuc: 654321", request.GetProperty("text").GetString());
        Assert.Equal(id.ToString("N"), request.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Without_a_mail_server_or_gateway_messages_are_kept_locally_and_the_portal_works()
    {
        await using var portal = Portal(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), []);

        var email = await EnqueueAsync(portal, OutboxMessage.Email("dung@example.vn", "Thông báo", "Nội dung", "test", DateTime.UtcNow));
        var sms = await EnqueueAsync(portal, OutboxMessage.Sms("0987654321", "Noi dung", "test", DateTime.UtcNow));

        Assert.Equal("local", (await WaitForStateAsync(portal, email, m => m.State == DeliveryState.Sent)).Transport);
        Assert.Equal("local", (await WaitForStateAsync(portal, sms, m => m.State == DeliveryState.Sent)).Transport);
    }

    [Fact]
    public async Task A_message_is_not_written_when_the_change_that_causes_it_fails()
    {
        await using var portal = Portal(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), []);
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var message = OutboxMessage.Email("e@example.vn", "Thông báo", "Nội dung", "test", DateTime.UtcNow);
        db.OutboxMessages.Add(message);
        // The same change breaks a unique key: nothing of it may commit, the message included.
        db.Fields.Add(new DichVuCong.Web.Modules.Catalog.Field { Code = "ho-tich", Name = "Trùng mã" });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        using var check = portal.Services.CreateScope();
        Assert.False(await check.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.AnyAsync(m => m.Id == message.Id, TestContext.Current.CancellationToken));
    }
}
