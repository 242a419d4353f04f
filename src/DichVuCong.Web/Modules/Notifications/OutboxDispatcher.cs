using DichVuCong.Web.Common.Persistence;
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
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
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

        var due = await db.OutboxMessages
            .Where(m => m.State == DeliveryState.Queued && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
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
        await db.OutboxMessages
            .Where(m => due.Contains(m.Id) && m.State == DeliveryState.Queued && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, claimedUntil).SetProperty(m => m.ClaimToken, token), cancellationToken);
        var messages = await db.OutboxMessages.Where(m => m.ClaimToken == token).ToListAsync(cancellationToken);

        var handled = 0;
        foreach (var message in messages)
        {
            var transport = transports.For(message.Channel);
            try
            {
                await transport.SendAsync(message, cancellationToken);
                message.MarkSent(transport.Name, time.GetUtcNow().UtcDateTime);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                message.MarkFailed(ex.Message, time.GetUtcNow().UtcDateTime, settings.MaxAttempts, settings.FirstRetryDelay);
                LogSendFailed(logger, message.Id, message.Channel, message.Attempts, ex.Message);
            }

            // Saved one by one: a crash mid-batch sends again only the message it was on.
            await db.SaveChangesAsync(cancellationToken);
            handled++;
        }

        return handled;
    }

    // The recipient and the text are never logged: they can hold a one-time code.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Id} ({Channel}) not delivered on attempt {Attempt}: {Error}")]
    private static partial void LogSendFailed(ILogger logger, Guid id, MessageChannel channel, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox dispatcher failed; it will try again.")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}

/// <summary>Picks the configured transport of a channel, or the local one when none is configured.</summary>
internal sealed class TransportSelector(IOptions<NotificationsOptions> options, SmtpTransport smtp, HttpSmsTransport sms)
{
    private static readonly LocalTransport LocalEmail = new(MessageChannel.Email);
    private static readonly LocalTransport LocalSms = new(MessageChannel.Sms);

    public IMessageTransport For(MessageChannel channel) => channel switch
    {
        MessageChannel.Email => string.IsNullOrWhiteSpace(options.Value.Smtp.Host) ? LocalEmail : smtp,
        MessageChannel.Sms => options.Value.Sms.Url is null ? LocalSms : sms,
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };
}
