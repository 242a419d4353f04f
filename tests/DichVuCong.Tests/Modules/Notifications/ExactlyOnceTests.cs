using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Notifications;

/// <summary>
/// Two dispatchers (as two portal instances would run) racing over one database send each message
/// once. The messages fall due ten minutes from now and the two dispatchers' clocks are set there, so
/// the portal's own dispatcher stays out of the race.
/// </summary>
public abstract class ExactlyOnceTests(PortalFixture portal)
{
    [Fact]
    public async Task Two_dispatchers_on_one_database_send_every_message_exactly_once()
    {
        _ = portal.Services; // skips (or fails under CI) when the database is not available
        await using var smtp = new SmtpReceiver();
        var services = portal.Factory.Services;
        var options = new NotificationsOptions
        {
            BatchSize = 5,
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = smtp.Port, UseStartTls = false },
        };
        var marker = Guid.NewGuid().ToString("N")[..8];
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            for (var i = 0; i < 40; i++)
            {
                db.OutboxMessages.Add(OutboxMessage.Email($"nguoi{i}.{marker}@example.vn", "Thông báo", "Nội dung", "race", DateTime.UtcNow.AddMinutes(10)));
            }

            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // Each dispatcher gets its own transports bound to the receiver; the portal's own dispatcher has none configured.
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(11));
        var first = Dispatchers.Over(portal, options, later);
        var second = Dispatchers.Over(portal, options, later);
        List<OutboxMessage> stored = [];
        for (var round = 0; round < 40; round++)
        {
            await Task.WhenAll(first.DispatchDueAsync(TestContext.Current.CancellationToken), second.DispatchDueAsync(TestContext.Current.CancellationToken));
            using var scope = services.CreateScope();
            stored = await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.AsNoTracking()
                .Where(m => m.Recipient.Contains(marker)).ToListAsync(TestContext.Current.CancellationToken);
            if (stored.All(m => m.State == DeliveryState.Sent))
            {
                break;
            }
        }

        Assert.Equal(40, stored.Count);
        Assert.All(stored, m => Assert.Equal((DeliveryState.Sent, 1), (m.State, m.Attempts)));
        var overSmtp = smtp.Messages.Where(m => m.To[0].Contains(marker, StringComparison.Ordinal)).Select(m => m.To[0]).ToList();
        Assert.Equal(overSmtp.Count, overSmtp.Distinct().Count());
        Assert.Equal(40, overSmtp.Count);
        Assert.All(stored, m => Assert.Equal("smtp", m.Transport));
        using (var scope = services.CreateScope())
        {
            var ids = stored.Select(m => m.Id).ToList();
            var log = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<DeliveryAttempt>().AsNoTracking()
                .Where(a => ids.Contains(a.MessageId)).ToListAsync(TestContext.Current.CancellationToken);
            Assert.Equal(40, log.Count);
            Assert.All(log, a => Assert.Equal(("smtp", true), (a.Transport, a.Succeeded)));
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ExactlyOnceTestsOnSqlite(SqlitePortal portal) : ExactlyOnceTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class ExactlyOnceTestsOnPostgreSql(PostgresPortal portal) : ExactlyOnceTests(portal);
