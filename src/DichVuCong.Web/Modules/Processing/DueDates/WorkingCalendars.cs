using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.DueDates;

/// <summary>
/// Loads an agency's calendar (its working hours + the CalendarDay rows), cached in memory and refreshed when the rows change (or a few minutes). Registered in DI.
/// <para>
/// The whole set (agencies' parents, <see cref="WorkingPeriod"/> rows, <see cref="CalendarDay"/> rows: a few hundred
/// small rows) is read at once and every agency's calendar built from it. An agency uses its own periods, else its
/// nearest ancestor's, else the default week. Whoever changes those rows on this instance calls
/// <see cref="Invalidate"/>; other instances see the change within <see cref="RefreshInterval"/>.
/// </para>
/// </summary>
internal sealed partial class WorkingCalendars(IServiceScopeFactory scopes, TimeProvider time, ILogger<WorkingCalendars> logger) : IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(5);

    /// <summary>An agency id not in the snapshot reloads it at most this often (an agency added since).</summary>
    private static readonly TimeSpan UnknownAgencyReload = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim loading = new(1, 1);
    private Snapshot? current;

    /// <summary>The calendar of an agency; the default calendar for an agency that does not exist.</summary>
    public async Task<WorkingCalendar> ForAgencyAsync(int agencyId, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        if (!snapshot.ByAgency.ContainsKey(agencyId) && time.GetUtcNow() - snapshot.LoadedAt >= UnknownAgencyReload)
        {
            Invalidate();
            snapshot = await GetAsync(cancellationToken);
        }

        return snapshot.ByAgency.GetValueOrDefault(agencyId) ?? snapshot.Default;
    }

    /// <summary>The calendar of the agency with this electronic code, the default one for no code, null for an unknown code.</summary>
    public async Task<WorkingCalendar?> ForAgencyCodeAsync(string? agencyCode, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(agencyCode))
        {
            return snapshot.Default;
        }

        return snapshot.Codes.TryGetValue(agencyCode.Trim(), out var id) ? snapshot.ByAgency[id] : null;
    }

    /// <summary>Forgets the calendars after this instance changed working hours, holidays or agencies.</summary>
    public void Invalidate() => Volatile.Write(ref current, null);

    public void Dispose() => loading.Dispose();

    private async ValueTask<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref current);
        if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < RefreshInterval)
        {
            return snapshot;
        }

        await loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = Volatile.Read(ref current);
            if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < RefreshInterval)
            {
                return snapshot;
            }

            snapshot = await LoadAsync(cancellationToken);
            Volatile.Write(ref current, snapshot);
            return snapshot;
        }
        finally
        {
            loading.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var loadedAt = time.GetUtcNow();
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var agencies = await db.Agencies.AsNoTracking().Select(a => new { a.Id, a.Code, a.ParentId }).ToListAsync(cancellationToken);
        var periods = await db.Set<WorkingPeriod>().AsNoTracking().ToListAsync(cancellationToken);
        var days = await db.CalendarDays.AsNoTracking().ToListAsync(cancellationToken);

        var hours = periods.ToLookup(p => p.AgencyId, p => new OpeningPeriod(p.Day, p.Opens, p.Closes));
        var fallback = WorkingCalendar.Default(days);
        var defaultCalendar = hours.Contains(null) ? Build(null, hours[null], days, fallback) : fallback;

        var parents = agencies.ToDictionary(a => a.Id, a => a.ParentId);
        var own = new Dictionary<int, WorkingCalendar>();
        var byAgency = new Dictionary<int, WorkingCalendar>();
        foreach (var agency in agencies)
        {
            byAgency[agency.Id] = SourceOf(agency.Id) is int source
                ? own.TryGetValue(source, out var built) ? built : own[source] = Build(source, hours[source], days, defaultCalendar)
                : defaultCalendar;
        }

        // The nearest of the agency and its ancestors with its own week (the depth guard survives a cycle in bad data).
        int? SourceOf(int id)
        {
            for (var depth = 0; depth < 50; depth++)
            {
                if (hours.Contains(id))
                {
                    return id;
                }

                if (parents.GetValueOrDefault(id) is not int parent)
                {
                    return null;
                }

                id = parent;
            }

            return null;
        }

        return new Snapshot(
            defaultCalendar,
            byAgency,
            agencies.ToDictionary(a => a.Code, a => a.Id, StringComparer.OrdinalIgnoreCase),
            loadedAt);
    }

    /// <summary>A calendar from stored periods; periods an administrator got wrong fall back to the default week, with a warning.</summary>
    private WorkingCalendar Build(int? agencyId, IEnumerable<OpeningPeriod> hours, List<CalendarDay> days, WorkingCalendar fallback)
    {
        try
        {
            return new WorkingCalendar(hours, days);
        }
        catch (ArgumentException ex)
        {
            LogBadWorkingHours(logger, agencyId, ex);
            return fallback;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The working hours of agency {AgencyId} are not valid; the default week is used.")]
    private static partial void LogBadWorkingHours(ILogger logger, int? agencyId, Exception exception);

    private sealed record Snapshot(
        WorkingCalendar Default,
        IReadOnlyDictionary<int, WorkingCalendar> ByAgency,
        IReadOnlyDictionary<string, int> Codes,
        DateTimeOffset LoadedAt);
}
