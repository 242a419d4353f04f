using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Notifications;

/// <summary>Wakes the dispatcher as soon as a change with messages commits, instead of at the next poll.</summary>
internal sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim wake = new(0, 1);

    public void Notify()
    {
        // Already awake most of the time under load: skip the throw-and-catch then (a race still lands in the catch).
        if (wake.CurrentCount > 0)
        {
            return;
        }

        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken meanwhile by another commit.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);

    public void Dispose() => wake.Dispose();
}

/// <summary>Notices messages in a saved change and rings <see cref="OutboxSignal"/> after the commit.</summary>
internal sealed class OutboxSaveInterceptor(OutboxSignal signal) : SaveChangesInterceptor
{
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Ring(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Ring(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    private void Ring(DbContext? context)
    {
        // After the save the new rows are Unchanged; a transaction still open delays the send only to the next poll.
        if (context?.Database.CurrentTransaction is null && context?.ChangeTracker.Entries<OutboxMessage>().Any(e => e.Entity.State == DeliveryState.Queued) == true)
        {
            signal.Notify();
        }
    }
}

/// <summary>
/// Delivers due messages. Several instances may run against one database: a message is claimed by a
/// conditional update before it is sent, and only the instance whose update changed the row sends it.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>How long a claim holds; a dispatcher that died mid-send frees its messages after this.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);

    /// <summary>How long after start the first scan for waiting messages runs, unless a new message comes first.</summary>
    public static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Messages left from before a restart are looked for once the portal serves (its first scan builds the data
        // model); a message queued meanwhile wakes the dispatcher at once.
        try
        {
            await signal.WaitAsync(StartupGrace, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDispatchFailed(logger, ex);
                handled = 0;
            }

            if (handled == 0)
            {
                try
                {
                    await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Sends the messages due now; returns how many it handled (sent or failed).</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var transports = scope.ServiceProvider.GetRequiredService<TransportSelector>();
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;

        var due = await Claimable(db.OutboxMessages, now)
            .Where(m => m.NextAttemptAt <= now)
            .OrderBy(m => m.NextAttemptAt)
            .Select(m => m.Id)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);

        if (due.Count == 0)
        {
            return 0;
        }

        // Claim the batch in one statement (only rows nobody holds), then load what this run's token got.
        var claimedUntil = now + ClaimFor;
        var token = Guid.NewGuid();
        await Claimable(db.OutboxMessages, now)
            .Where(m => due.Contains(m.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, claimedUntil).SetProperty(m => m.ClaimToken, token), cancellationToken);
        var messages = await db.OutboxMessages.Where(m => m.ClaimToken == token).ToListAsync(cancellationToken);

        var handled = 0;
        foreach (var message in messages)
        {
            // Each transport in turn (for SMS, each provider) until one accepts; every try goes in the attempt log.
            string? error = null;
            foreach (var transport in transports.For(message.Channel))
            {
                try
                {
                    await transport.SendAsync(message, cancellationToken);
                    error = null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The recipient is masked should the server have quoted it (an SMTP refusal may).
                    error = Mask(ex.Message, message);
                    LogSendFailed(logger, message.Id, message.Channel, transport.Name, message.Attempts + 1, error);
                }

                var at = time.GetUtcNow().UtcDateTime;
                db.Set<DeliveryAttempt>().Add(DeliveryAttempt.Of(message.Id, transport.Name, at, error));
                if (error is null)
                {
                    message.MarkSent(transport.Name, at);
                    break;
                }
            }

            if (error is not null)
            {
                message.MarkFailed(error, time.GetUtcNow().UtcDateTime, settings.MaxAttempts, settings.FirstRetryDelay);
            }

            // Saved one by one, the message's state with its attempts: a crash mid-batch sends again only the message it was on.
            await db.SaveChangesAsync(cancellationToken);
            handled++;
        }

        return handled;
    }

    /// <summary>Messages waiting for an attempt (never tried, or failed and to be tried again) that no dispatcher holds.</summary>
    private static IQueryable<OutboxMessage> Claimable(IQueryable<OutboxMessage> messages, DateTime now) =>
        messages.Where(m => (m.State == DeliveryState.Queued || m.State == DeliveryState.Failed) && (m.ClaimedUntil == null || m.ClaimedUntil < now));

    private static string Mask(string error, OutboxMessage message) =>
        message.Recipient.Length == 0 ? error
            : error.Replace(message.Recipient, message.Channel == MessageChannel.Email ? Contacts.MaskEmail(message.Recipient) : Contacts.MaskPhone(message.Recipient), StringComparison.OrdinalIgnoreCase);

    // The recipient and the text are never logged: they can hold a one-time code.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Id} ({Channel}) not delivered through {Transport} on attempt {Attempt}: {Error}")]
    private static partial void LogSendFailed(ILogger logger, Guid id, MessageChannel channel, string transport, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox dispatcher failed; it will try again.")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}

/// <summary>
/// The transports to try for a channel, in order: SMTP, or every configured SMS provider (those that failed
/// lately last, see <see cref="SmsProviderHealth"/>); the local one when the channel has none configured.
/// </summary>
internal sealed class TransportSelector(IOptions<NotificationsOptions> options, SmtpTransport smtp, IHttpClientFactory http, SmsProviderHealth health)
{
    private static readonly LocalTransport LocalEmail = new(MessageChannel.Email);
    private static readonly LocalTransport LocalSms = new(MessageChannel.Sms);

    public IReadOnlyList<IMessageTransport> For(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => string.IsNullOrWhiteSpace(options.Value.Smtp.Host) ? [LocalEmail] : [smtp],
        MessageChannel.Sms => SmsProviders(),
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    private IReadOnlyList<IMessageTransport> SmsProviders()
    {
        var providers = options.Value.Sms.InOrder();
        return providers.Count == 0
            ? [LocalSms]
            : [.. providers.OrderBy(p => health.Cooling(p.Name)).Select(p => new HttpSmsTransport(http.CreateClient(HttpSmsTransport.ClientName), p, health))];
    }
}
