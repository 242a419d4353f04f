using System.Collections.Concurrent;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Reporting;

internal sealed record VisitorCounts(int Online, int Today, int ThisWeek, long Total);

/// <summary>
/// Counts distinct visitors without a cookie: a visitor is the pair (address, browser), kept only as
/// a per-process hash for the current day, so nothing personal is stored and no consent banner is
/// needed. Counting is a dictionary write per page view; totals go to the database once a minute
/// as increments, so several instances add up instead of overwriting each other.
/// </summary>
internal sealed class VisitorCounter(TimeProvider time)
{
    public static readonly TimeSpan OnlineWindow = TimeSpan.FromMinutes(5);

    private readonly Lock sync = new();
    private readonly ConcurrentQueue<(DateOnly Day, int Visitors)> pending = new();
    private ConcurrentDictionary<int, long> seenToday = new();
    private DateOnly day;
    private int flushedToday;
    private int storedToday;
    private int storedWeekBeforeToday;
    private long storedBeforeToday;
    private (long At, VisitorCounts? Counts) cached;

    public void Record(string? address, string? userAgent)
    {
        var today = VietnamTime.Today(time);
        if (today != day)
        {
            RollOver(today);
        }

        seenToday[HashCode.Combine(address, userAgent)] = time.GetTimestamp();
    }

    public VisitorCounts Counts()
    {
        var now = time.GetTimestamp();
        var last = cached;
        if (last.Counts is not null && time.GetElapsedTime(last.At, now) < TimeSpan.FromSeconds(1))
        {
            return last.Counts;
        }

        var map = seenToday;
        var online = 0;
        foreach (var seen in map.Values)
        {
            if (time.GetElapsedTime(seen, now) <= OnlineWindow)
            {
                online++;
            }
        }

        int today;
        long before;
        int week;
        lock (sync)
        {
            today = storedToday + Math.Max(0, map.Count - flushedToday);
            before = storedBeforeToday;
            week = storedWeekBeforeToday;
        }

        var counts = new VisitorCounts(online, today, week + today, before + today);
        cached = (now, counts);
        return counts;
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

            cached = default;
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
            cached = default;
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
