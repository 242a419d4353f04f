using System.Globalization;
using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.DueDates;

/// <summary>
/// Seeds the default working week and the demo commune open on Saturday mornings (SeedData/working-hours.json),
/// once per agency: a week an administrator changed or removed is left alone (docs/decisions/0005-seed-once.md).
/// Without seeding, the built-in default week (<see cref="WorkingCalendar.DefaultHours"/>) applies.
/// </summary>
internal sealed class WorkingHoursSeeder(TimeProvider time, WorkingCalendars calendars) : ISeeder
{
    public int Order => 21;

    public async Task SeedAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var applied = await db.AppliedAsync("working-hours:", cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var week in SeedData.Read<List<WeekSeed>>("working-hours.json").GroupBy(w => w.Agency))
        {
            var key = "working-hours:" + (week.Key ?? "default");
            int? agencyId = week.Key is null
                ? null
                : await db.Agencies.Where(a => a.Code == week.Key).Select(a => (int?)a.Id).SingleOrDefaultAsync(cancellationToken);
            if (applied.Contains(key) || (week.Key is not null && agencyId is null)
                || await db.Set<WorkingPeriod>().AnyAsync(p => p.AgencyId == agencyId, cancellationToken))
            {
                continue;
            }

            foreach (var seed in week)
            {
                foreach (var day in seed.Days)
                {
                    foreach (var period in seed.Periods)
                    {
                        var (opens, closes) = (period.Split('-')[0], period.Split('-')[1]);
                        db.Set<WorkingPeriod>().Add(new WorkingPeriod
                        {
                            AgencyId = agencyId,
                            Day = day,
                            Opens = TimeOnly.ParseExact(opens, "HH:mm", CultureInfo.InvariantCulture),
                            Closes = TimeOnly.ParseExact(closes, "HH:mm", CultureInfo.InvariantCulture),
                        });
                    }
                }
            }

            db.MarkApplied(key, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        calendars.Invalidate();
    }

    private sealed record WeekSeed(string? Agency, DayOfWeek[] Days, string[] Periods);
}
