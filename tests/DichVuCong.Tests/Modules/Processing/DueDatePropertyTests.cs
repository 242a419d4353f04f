using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Processing;
using DichVuCong.Web.Modules.Processing.DueDates;

namespace DichVuCong.Tests.Modules.Processing;

/// <summary>
/// Properties of the due-date engine over seeded random inputs: the 2026 calendar, a Saturday-morning week, and
/// random weeks (one to three periods on random days) with random days off and make-up days. Instants are drawn on
/// the minute, a third of them on a boundary (07:30, 11:30, 13:00, 15:00, 17:00, midnight), where mistakes hide.
/// A failure names the seed and the inputs.
/// </summary>
public sealed class DueDatePropertyTests
{
    private const int Runs = 3000;
    private const int Seed = 20260213;

    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);
    private static readonly TimeLimitUnit[] Units = [TimeLimitUnit.SameDay, TimeLimitUnit.WorkingDays, TimeLimitUnit.WorkingHours, TimeLimitUnit.CalendarDays];

    [Fact]
    public void A_due_date_is_never_before_reception_and_never_on_a_day_off()
    {
        ForAll((random, calendar) =>
        {
            var received = RandomInstant(random);
            var unit = Units[random.Next(Units.Length)];
            var amount = RandomAmount(random, unit);

            var due = calendar.DueAt(received, amount, unit);

            return (due >= received && calendar.IsWorkingDay(DateOnly.FromDateTime(due.ToOffset(Vietnam).DateTime)) && due.Offset == Vietnam,
                $"received {received:O}, {amount} {unit} → {due:O}");
        });
    }

    [Fact]
    public void Receiving_later_never_gives_an_earlier_due_date()
    {
        ForAll((random, calendar) =>
        {
            var first = RandomInstant(random);
            var second = random.Next(3) == 0 ? first.AddMinutes(random.Next(1, 60)) : RandomInstant(random);
            (first, second) = first <= second ? (first, second) : (second, first);
            var unit = Units[random.Next(Units.Length)];
            var amount = RandomAmount(random, unit);

            var (a, b) = (calendar.DueAt(first, amount, unit), calendar.DueAt(second, amount, unit));

            return (a <= b, $"{amount} {unit}: received {first:O} → {a:O}, received {second:O} → {b:O}");
        });
    }

    [Fact]
    public void A_longer_time_limit_never_gives_an_earlier_due_date()
    {
        ForAll((random, calendar) =>
        {
            var received = RandomInstant(random);
            var unit = Units[1 + random.Next(Units.Length - 1)];
            var (less, more) = (RandomAmount(random, unit), RandomAmount(random, unit));
            (less, more) = less <= more ? (less, more) : (more, less);

            var (a, b) = (calendar.DueAt(received, less, unit), calendar.DueAt(received, more, unit));

            return (a <= b, $"received {received:O}: {less} {unit} → {a:O}, {more} {unit} → {b:O}");
        });
    }

    [Fact]
    public void Adding_working_time_then_measuring_it_gives_it_back_forwards_and_backwards()
    {
        ForAll((random, calendar) =>
        {
            var from = RandomInstant(random);
            var amount = TimeSpan.FromMinutes(random.Next(-200 * 60, 200 * 60));

            var to = calendar.AddWorkingTime(from, amount);
            var measured = calendar.WorkingTimeBetween(calendar.StartOfWork(from), to);

            return (measured == amount, $"from {from:O} add {amount} → {to:O}, measured {measured}");
        });
    }

    [Fact]
    public void A_pause_never_brings_the_due_date_forward_and_keeps_the_time_that_was_left()
    {
        ForAll((random, calendar) =>
        {
            var due = calendar.DueAt(RandomInstant(random), random.Next(1, 20), TimeLimitUnit.WorkingDays);
            var paused = RandomInstant(random);
            var resumed = random.Next(4) == 0 ? paused.AddMinutes(-random.Next(0, 600)) : paused.AddMinutes(random.Next(0, 30 * 24 * 60));

            var moved = calendar.Resume(due, paused, resumed);

            // Paused before the due date and resumed later: the working time left is the same after the pause as before it.
            var keepsLeft = paused > due || resumed < paused
                || calendar.WorkingTimeBetween(resumed, moved) == calendar.WorkingTimeBetween(paused, due);
            return (moved >= due && keepsLeft, $"due {due:O}, paused {paused:O}, resumed {resumed:O} → {moved:O}");
        });
    }

    [Fact]
    public void The_clock_start_is_the_instant_or_later_with_no_working_time_in_between()
    {
        ForAll((random, calendar) =>
        {
            var instant = RandomInstant(random);

            var start = calendar.StartOfWork(instant);

            return (start >= instant && calendar.StartOfWork(start) == start && calendar.WorkingTimeBetween(instant, start) == TimeSpan.Zero
                    && calendar.IsWorkingDay(DateOnly.FromDateTime(start.DateTime)),
                $"{instant:O} → {start:O}");
        });
    }

    [Fact]
    public void Working_time_adds_up_over_consecutive_intervals()
    {
        ForAll((random, calendar) =>
        {
            var points = new[] { RandomInstant(random), RandomInstant(random), RandomInstant(random) }.Order().ToArray();

            var (ab, bc, ac) = (calendar.WorkingTimeBetween(points[0], points[1]), calendar.WorkingTimeBetween(points[1], points[2]), calendar.WorkingTimeBetween(points[0], points[2]));

            return (ab + bc == ac && calendar.WorkingTimeBetween(points[2], points[0]) == -ac, $"{points[0]:O}, {points[1]:O}, {points[2]:O}: {ab} + {bc} ≠ {ac}");
        });
    }

    [Fact]
    public void Finishing_at_the_due_instant_is_on_time_and_a_moment_later_is_late()
    {
        ForAll((random, calendar) =>
        {
            var due = calendar.DueAt(RandomInstant(random), random.Next(1, 20), TimeLimitUnit.WorkingDays);

            return (WorkingCalendar.TimelinessOf(due, due) == Timeliness.OnTime && WorkingCalendar.TimelinessOf(due.AddSeconds(1), due) == Timeliness.Late
                    && WorkingCalendar.TimelinessOf(due.AddDays(-1), due) == Timeliness.Early,
                $"due {due:O}");
        });
    }

    /// <summary>Runs the property on the 2026 calendar, a Saturday-morning week and random weeks.</summary>
    private static void ForAll(Func<Random, WorkingCalendar, (bool Holds, string Case)> property)
    {
        var random = new Random(Seed);
        var saturday = new WorkingCalendar(
            [.. WorkingCalendar.DefaultHours, new OpeningPeriod(DayOfWeek.Saturday, new TimeOnly(7, 30), new TimeOnly(11, 30))], DueDateTableTests.Days2026);
        var fixedCalendars = new[] { WorkingCalendar.Default(DueDateTableTests.Days2026), saturday };
        WorkingCalendar? randomCalendar = null;
        for (var run = 0; run < Runs; run++)
        {
            if (run % 20 == 0)
            {
                randomCalendar = RandomCalendar(random);
            }

            var calendar = run % 3 < 2 ? fixedCalendars[run % 3] : randomCalendar!;
            var (holds, description) = property(random, calendar);
            Assert.True(holds, $"Run {run} (seed {Seed}), {(run % 3 < 2 ? "fixed" : "random")} calendar: {description}");
        }
    }

    private static WorkingCalendar RandomCalendar(Random random)
    {
        var periods = new List<OpeningPeriod>();
        while (periods.Count == 0)
        {
            foreach (var day in Enum.GetValues<DayOfWeek>().Where(_ => random.Next(3) > 0))
            {
                // Up to three periods on quarter hours up to 23:45, in order, each at least 15 minutes and apart from the next.
                var quarter = random.Next(0, 40);
                for (var i = random.Next(1, 4); i > 0 && quarter < 94; i--)
                {
                    var closes = random.Next(quarter + 1, Math.Min(96, quarter + 40));
                    periods.Add(new OpeningPeriod(day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(quarter * 15)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(closes * 15))));
                    quarter = closes + random.Next(1, 12);
                }
            }

        }

        var days = Enumerable.Range(0, 60)
            .Select(_ => new DateOnly(2025, 11, 1).AddDays(random.Next(0, 500)))
            .Distinct()
            .Select(d => new CalendarDay { Date = d, IsWorkingDay = random.Next(4) == 0, Name = "ngẫu nhiên" });
        return new WorkingCalendar(periods, days);
    }

    private static readonly TimeOnly[] Boundaries = [new(0, 0), new(7, 30), new(11, 30), new(13, 0), new(15, 0), new(17, 0)];

    private static DateTimeOffset RandomInstant(Random random)
    {
        var day = new DateOnly(2025, 12, 1).AddDays(random.Next(0, 400));
        var time = random.Next(3) == 0 ? Boundaries[random.Next(Boundaries.Length)] : TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(random.Next(0, 24 * 60)));
        var instant = new DateTimeOffset(day.ToDateTime(time), Vietnam);
        // Sometimes the same instant written in UTC, as the database gives it back.
        return random.Next(5) == 0 ? instant.ToUniversalTime() : instant;
    }

    private static decimal RandomAmount(Random random, TimeLimitUnit unit) => unit switch
    {
        TimeLimitUnit.WorkingHours => random.Next(1, 160) / (random.Next(2) == 0 ? 1m : 2m),
        TimeLimitUnit.WorkingDays => random.Next(1, 40) / (random.Next(4) == 0 ? 2m : 1m),
        _ => random.Next(1, 45),
    };
}
