using System.Collections.Concurrent;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Reporting;

internal sealed record VisitorCounts(int Online, int Today, int ThisWeek, long Total);

/// <summary>
/// Counts distinct visitors without a cookie: a visitor is the pair (address, browser), kept only as
/// a per-process hash for the current day, so nothing personal is stored and no consent banner is
/// needed. A page view costs a dictionary look-up (a write once a minute per visitor); totals go to
/// the database once a minute as increments, so several instances add up instead of overwriting.
/// </summary>
internal sealed class VisitorCounter(TimeProvider time)
{
    /// <summary>"Đang online" means seen in the current minute or the four before it.</summary>
    public const int OnlineMinutes = 5;

    private readonly Lock sync = new();
    private readonly ConcurrentQueue<(DateOnly Day, int Visitors)> pending = new();

    // Visitors by the minute they were last seen, in a ring one longer than the online window.
    private readonly int[] perMinute = new int[OnlineMinutes + 1];
    private readonly long[] bucketMinute = new long[OnlineMinutes + 1];
    private ConcurrentDictionary<int, long> seenToday = new();
    private DateOnly day;
    private int flushedToday;
    private int storedToday;
    private int storedWeekBeforeToday;
    private long storedBeforeToday;

    public void Record(string? address, string? userAgent)
    {
        var today = VietnamTime.Today(time);
        if (today != day)
        {
            RollOver(today);
        }

        var key = HashCode.Combine(address, userAgent);
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        // The common case, a visitor's next page within the same minute, takes no lock.
        if (seenToday.TryGetValue(key, out var last) && last == minute)
        {
            return;
        }

        lock (sync)
        {
            var map = seenToday;
            var known = map.TryGetValue(key, out last);
            if (known && last == minute)
            {
                return;
            }

            if (known)
            {
                var old = (int)(last % perMinute.Length);
                if (bucketMinute[old] == last)
                {
                    perMinute[old]--;
                }
            }

            var slot = (int)(minute % perMinute.Length);
            if (bucketMinute[slot] != minute)
            {
                bucketMinute[slot] = minute;
                perMinute[slot] = 0;
            }

            perMinute[slot]++;
            map[key] = minute;
        }
    }

    public VisitorCounts Counts()
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        lock (sync)
        {
            var online = 0;
            for (var i = 0; i < perMinute.Length; i++)
            {
                if (minute - bucketMinute[i] < OnlineMinutes)
                {
                    online += perMinute[i];
                }
            }

            var today = storedToday + Math.Max(0, seenToday.Count - flushedToday);
            return new VisitorCounts(online, today, storedWeekBeforeToday + today, storedBeforeToday + today);
        }
    }

    /// <summary>Adds the visitors not yet stored to their day's row and reloads the stored totals.</summary>
    public async Task FlushAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var today = VietnamTime.Today(time);
        if (today != day)
        {
            RollOver(today);
        }

        int seen;
        lock (sync)
        {
            seen = seenToday.Count;
            if (seen > flushedToday)
            {
                pending.Enqueue((day, seen - flushedToday));
            }

            flushedToday = seen;
        }

        while (pending.TryPeek(out var item))
        {
            await AddAsync(db, item.Day, item.Visitors, cancellationToken);
            pending.TryDequeue(out _);
        }

        var weekStart = StartOfWeek(today);
        var rows = await db.VisitorDays.AsNoTracking().Select(v => new { v.Date, v.Visitors }).ToListAsync(cancellationToken);
        lock (sync)
        {
            if (day == today)
            {
                storedToday = rows.Where(r => r.Date == today).Sum(r => r.Visitors);
                storedWeekBeforeToday = rows.Where(r => r.Date >= weekStart && r.Date < today).Sum(r => r.Visitors);
                storedBeforeToday = rows.Where(r => r.Date != today).Sum(r => (long)r.Visitors);
            }
        }
    }

    private void RollOver(DateOnly today)
    {
        lock (sync)
        {
            if (today == day)
            {
                return;
            }

            var unflushed = seenToday.Count - flushedToday;
            if (day != default && unflushed > 0)
            {
                pending.Enqueue((day, unflushed));
            }

            // Yesterday becomes part of the stored totals until the next flush reloads them.
            var yesterday = storedToday + Math.Max(0, unflushed);
            storedBeforeToday += yesterday;
            storedWeekBeforeToday = day != default && StartOfWeek(today) == StartOfWeek(day) ? storedWeekBeforeToday + yesterday : 0;
            storedToday = 0;
            flushedToday = 0;
            seenToday = new ConcurrentDictionary<int, long>();
            day = today;
        }
    }

    private static async Task AddAsync(AppDbContext db, DateOnly date, int visitors, CancellationToken cancellationToken)
    {
        var updated = await db.VisitorDays.Where(v => v.Date == date)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Visitors, v => v.Visitors + visitors), cancellationToken);
        if (updated > 0)
        {
            return;
        }

        try
        {
            db.VisitorDays.Add(new VisitorDay { Date = date, Visitors = visitors });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance created the row first: add to it instead.
            db.ChangeTracker.Clear();
            await db.VisitorDays.Where(v => v.Date == date)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Visitors, v => v.Visitors + visitors), cancellationToken);
        }
    }

    private static DateOnly StartOfWeek(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
}

/// <summary>Writes the visitor counts to the database every minute and at shutdown.</summary>
internal sealed partial class VisitorCounterFlusher(VisitorCounter counter, IServiceScopeFactory scopes, TimeProvider time, ILogger<VisitorCounterFlusher> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the portal start serving first: the first flush compiles its queries.
        await Task.Delay(StartupGrace, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await FlushAsync(stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));

        await FlushAsync(CancellationToken.None);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            await counter.FlushAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the visitor counts; will try again.")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}

internal static class ReportingModule
{
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        services.AddSingleton<VisitorCounter>();
        services.AddHostedService<VisitorCounterFlusher>();
        return services;
    }

    /// <summary>Counts page views of people: GET requests for HTML, not assets, API calls or robots.</summary>
    public static IApplicationBuilder UseVisitorCounter(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (HttpMethods.IsGet(request.Method)
                && !request.Path.StartsWithSegments("/api")
                && !request.Path.StartsWithSegments("/health")
                && !request.Path.StartsWithSegments("/openapi")
                && !Path.HasExtension(request.Path.Value)
                && request.Headers.UserAgent.ToString() is var agent
                && !agent.Contains("bot", StringComparison.OrdinalIgnoreCase)
                && !agent.Contains("spider", StringComparison.OrdinalIgnoreCase))
            {
                context.RequestServices.GetRequiredService<VisitorCounter>()
                    .Record(context.Connection.RemoteIpAddress?.ToString(), agent);
            }

            await next(context);
        });
}
