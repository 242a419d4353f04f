using System.Globalization;
using DichVuCong.Web.Modules.Catalog;

namespace DichVuCong.Web.Modules.Processing.DueDates;

/// <summary>One opening period of a weekday in an agency's week, e.g. Saturday 07:30–11:30.</summary>
internal sealed record OpeningPeriod(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

/// <summary>A day that breaks the weekly pattern: a day off (holiday, swap, nghỉ bù) or a make-up working day (ngày làm bù).</summary>
internal sealed record CalendarException(DateOnly Date, bool IsWorkingDay, string Name);

/// <summary>Whether a dossier was finished before, on or after its due date (SPEC §4 "Timeliness").</summary>
internal enum Timeliness
{
    /// <summary>Trước hạn: finished on a day before the due date's day.</summary>
    Early,

    /// <summary>Đúng hạn: finished on the due date's day, not after the due instant.</summary>
    OnTime,

    /// <summary>Trễ hạn: finished after the due instant.</summary>
    Late,
}

/// <summary>
/// One agency's working calendar. Pure: no I/O, no clock; built from working hours + CalendarDay exceptions.
/// All results in +07:00 (Vietnam has kept a fixed UTC+7 since 1975, so no time zone rules are needed).
/// <para>The rules (docs/decisions/0011-due-dates.md):</para>
/// <list type="bullet">
/// <item>Working time is the union of the day's opening periods; a period is half-open, [opens, closes).
/// A day with no period is a day off.</item>
/// <item>A <see cref="CalendarDay"/> off closes the whole day; one worked (ngày làm bù) opens with the hours of an
/// ordinary weekday (the first of Monday…Friday with hours), even on a Saturday the agency otherwise opens half a day.</item>
/// <item>The clock starts at <see cref="StartOfWork"/>: before opening → opening, during lunch → 13:00, after closing,
/// on a weekend or a holiday → the next working day's opening.</item>
/// <item>N working days = 8N working hours from the start, whatever the agency's day length (a Saturday morning
/// is half a day). Received 09:00 Monday with 1 working day → due 09:00 Tuesday; received 07:30 → due 17:00 the same
/// day: a due instant that falls exactly at a closing stays at that closing, never the next opening.</item>
/// <item>Same-day procedures (trong ngày): counted from <see cref="StartOfWork"/>; starting before 15:00 → that day's
/// closing, from 15:00 on → the next working day's closing. Reception before opening therefore counts as that morning.</item>
/// <item>Calendar days (ngày): the Nth day after the day the clock starts (the start day is not counted, Bộ luật Dân sự
/// Điều 147); when it is a day off, the next working day (Điều 148); due at that day's closing.</item>
/// <item>Stop-clock: a pause moves the due date later by the working time inside the pause.</item>
/// </list>
/// </summary>
internal sealed class WorkingCalendar
{
    /// <summary>Vietnam's offset from UTC.</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    /// <summary>A working day counts as this much working time (SPEC §4).</summary>
    public static readonly TimeSpan WorkingDayLength = TimeSpan.FromHours(8);

    /// <summary>Same-day procedures received from this time on are due the next working day.</summary>
    public static readonly TimeOnly SameDayCutOff = new(15, 0);

    /// <summary>07:30–11:30 and 13:00–17:00, Monday to Friday.</summary>
    public static readonly IReadOnlyList<OpeningPeriod> DefaultHours =
    [
        .. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .SelectMany(d => new[] { new OpeningPeriod(d, new TimeOnly(7, 30), new TimeOnly(11, 30)), new OpeningPeriod(d, new TimeOnly(13, 0), new TimeOnly(17, 0)) }),
    ];

    /// <summary>How far to look for a working day before deciding there is none (ten years).</summary>
    private const int SearchLimitDays = 3660;

    private readonly Dictionary<DayOfWeek, (TimeOnly Opens, TimeOnly Closes)[]> weekly;
    private readonly (TimeOnly Opens, TimeOnly Closes)[] makeUpDay;
    private readonly Dictionary<DateOnly, CalendarException> exceptions;

    /// <summary>A calendar from weekly opening periods and the exceptions to them.</summary>
    /// <exception cref="ArgumentException">A period closes before it opens, two periods of a day overlap, or the week has no period.</exception>
    public WorkingCalendar(IEnumerable<OpeningPeriod> hours, IEnumerable<CalendarDay> exceptions)
    {
        var periods = hours.OrderBy(p => IsoDay(p.Day)).ThenBy(p => p.Opens).ToList();
        if (periods.Count == 0)
        {
            throw new ArgumentException("A working week needs at least one opening period.", nameof(hours));
        }

        weekly = new();
        foreach (var day in periods.GroupBy(p => p.Day))
        {
            var list = day.Select(p => (p.Opens, p.Closes)).ToArray();
            for (var i = 0; i < list.Length; i++)
            {
                if (list[i].Closes <= list[i].Opens || (i > 0 && list[i].Opens < list[i - 1].Closes))
                {
                    throw new ArgumentException($"Opening periods of {day.Key} must be in order, each closing after it opens and before the next opens.", nameof(hours));
                }
            }

            weekly[day.Key] = list;
        }

        Hours = periods;
        makeUpDay = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => weekly.GetValueOrDefault(d))
            .FirstOrDefault(p => p is not null)
            ?? [.. DefaultHours.Where(p => p.Day == DayOfWeek.Monday).Select(p => (p.Opens, p.Closes))];
        this.exceptions = exceptions
            .Select(d => new CalendarException(d.Date, d.IsWorkingDay, d.Name))
            .ToDictionary(d => d.Date);
        Exceptions = [.. this.exceptions.Values.OrderBy(d => d.Date)];
    }

    public static WorkingCalendar Default(IEnumerable<CalendarDay> exceptions) => new(DefaultHours, exceptions);

    /// <summary>The weekly opening periods, Monday first.</summary>
    public IReadOnlyList<OpeningPeriod> Hours { get; }

    /// <summary>The days off and make-up working days, by date.</summary>
    public IReadOnlyList<CalendarException> Exceptions { get; }

    /// <summary>Whether the agency opens on this weekday in an ordinary week.</summary>
    public bool OpensOn(DayOfWeek day) => weekly.ContainsKey(day);

    public bool IsWorkingDay(DateOnly day) => PeriodsOn(day).Length > 0;

    /// <summary>The instant the clock starts from: itself inside working hours, else the next opening (before opening → opening; lunch → 13:00; evening/weekend/holiday → next working day's opening).</summary>
    public DateTimeOffset StartOfWork(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Offset);
        var day = DateOnly.FromDateTime(local.DateTime);
        for (var i = 0; i <= SearchLimitDays; i++, day = day.AddDays(1))
        {
            foreach (var (opens, closes) in PeriodsOn(day))
            {
                var end = At(day, closes);
                if (local < end)
                {
                    var start = At(day, opens);
                    return local < start ? start : local;
                }
            }
        }

        throw NoWorkingDay();
    }

    /// <summary>
    /// The due date for a time limit counted from reception. unit is Catalog.TimeLimitUnit (SameDay, WorkingDays, WorkingHours, CalendarDays).
    /// A working day = 8 working hours. SameDay: received before 15:00 on a working day → that day's closing; after 15:00 (or outside hours) → next working day's closing.
    /// Before opening counts as from opening (so the same day); <paramref name="amount"/> is not used for SameDay.
    /// Fractions of days or hours are rounded to the minute; calendar days round up to a whole day.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">amount is not positive (for every unit except SameDay).</exception>
    public DateTimeOffset DueAt(DateTimeOffset receivedAt, decimal amount, TimeLimitUnit unit)
    {
        if (unit != TimeLimitUnit.SameDay)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        }

        switch (unit)
        {
            case TimeLimitUnit.WorkingDays:
                return AddWorkingTime(receivedAt, Minutes(amount * (decimal)WorkingDayLength.TotalMinutes));
            case TimeLimitUnit.WorkingHours:
                return AddWorkingTime(receivedAt, Minutes(amount * 60));
            case TimeLimitUnit.SameDay:
            {
                var start = StartOfWork(receivedAt);
                var day = DateOnly.FromDateTime(start.DateTime);
                return TimeOnly.FromDateTime(start.DateTime) < SameDayCutOff ? ClosingOf(day) : ClosingOf(NextWorkingDay(day.AddDays(1)));
            }

            case TimeLimitUnit.CalendarDays:
            {
                var day = DateOnly.FromDateTime(StartOfWork(receivedAt).DateTime).AddDays((int)Math.Ceiling(amount));
                return ClosingOf(NextWorkingDay(day));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time limit unit.");
        }
    }

    /// <summary>Working time between two instants (only working hours count); negative when to &lt; from.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            return -WorkingTimeBetween(to, from);
        }

        var total = TimeSpan.Zero;
        var last = DateOnly.FromDateTime(to.ToOffset(Offset).DateTime);
        for (var day = DateOnly.FromDateTime(from.ToOffset(Offset).DateTime); day <= last; day = day.AddDays(1))
        {
            foreach (var (opens, closes) in PeriodsOn(day))
            {
                var start = Max(At(day, opens), from);
                var end = Min(At(day, closes), to);
                if (end > start)
                {
                    total += end - start;
                }
            }
        }

        return total;
    }

    /// <summary>
    /// The instant after `workingTime` of working time from `from` (from is first moved to StartOfWork). Zero → StartOfWork(from). Negative amounts go backwards.
    /// Landing exactly on a closing (forwards) or an opening (backwards) stays there.
    /// </summary>
    public DateTimeOffset AddWorkingTime(DateTimeOffset from, TimeSpan workingTime)
    {
        var cursor = StartOfWork(from);
        if (workingTime == TimeSpan.Zero)
        {
            return cursor;
        }

        var left = workingTime.Duration();
        var forwards = workingTime > TimeSpan.Zero;
        var day = DateOnly.FromDateTime(cursor.DateTime);
        for (var i = 0; i <= SearchLimitDays; i++, day = day.AddDays(forwards ? 1 : -1))
        {
            var periods = PeriodsOn(day);
            for (var p = 0; p < periods.Length; p++)
            {
                var (opens, closes) = periods[forwards ? p : periods.Length - 1 - p];
                var start = At(day, opens);
                var end = At(day, closes);
                if (forwards && end > cursor)
                {
                    start = Max(start, cursor);
                    if (left <= end - start)
                    {
                        return start + left;
                    }

                    left -= end - start;
                }
                else if (!forwards && start < cursor)
                {
                    end = Min(end, cursor);
                    if (left <= end - start)
                    {
                        return end - left;
                    }

                    left -= end - start;
                }
            }
        }

        throw NoWorkingDay();
    }

    /// <summary>
    /// Stop-clock: the due date after a pause from pausedAt to resumedAt = the due date moved later by the working time inside the pause.
    /// A pause without working time (a weekend, lunch, a holiday, or resumedAt ≤ pausedAt) leaves the due date as it was.
    /// </summary>
    public DateTimeOffset Resume(DateTimeOffset dueAt, DateTimeOffset pausedAt, DateTimeOffset resumedAt)
    {
        var paused = WorkingTimeBetween(pausedAt, resumedAt);
        return paused > TimeSpan.Zero ? AddWorkingTime(dueAt, paused) : dueAt.ToOffset(Offset);
    }

    /// <summary>Early (finished on a working day before the due date's day), OnTime (on the due date's day, not after dueAt), Late (after dueAt).</summary>
    public static Timeliness TimelinessOf(DateTimeOffset finishedAt, DateTimeOffset dueAt)
    {
        if (finishedAt > dueAt)
        {
            return Timeliness.Late;
        }

        return DateOnly.FromDateTime(finishedAt.ToOffset(Offset).DateTime) < DateOnly.FromDateTime(dueAt.ToOffset(Offset).DateTime)
            ? Timeliness.Early
            : Timeliness.OnTime;
    }

    /// <summary>
    /// For people: "còn 2 ngày 3 giờ làm việc", "quá hạn 5 giờ làm việc" (8 h = 1 day), Vietnamese.
    /// Whole hours, rounded down; minutes only under an hour. Less than a minute: "đến hạn" before the due instant,
    /// "đã quá hạn" after it (e.g. the evening of a due date at 17:00).
    /// </summary>
    public string RemainingText(DateTimeOffset now, DateTimeOffset dueAt)
    {
        var late = now > dueAt;
        var amount = WorkingTimeBetween(late ? dueAt : now, late ? now : dueAt);
        if (amount < TimeSpan.FromMinutes(1))
        {
            return late ? "đã quá hạn" : "đến hạn";
        }

        return (late ? "quá hạn " : "còn ") + Duration(amount) + " làm việc";
    }

    /// <summary>A working duration in words: "2 ngày 3 giờ", "5 giờ", "40 phút" (8 h = 1 day; rounded down).</summary>
    public static string Duration(TimeSpan workingTime)
    {
        var culture = CultureInfo.InvariantCulture;
        if (workingTime < TimeSpan.FromHours(1))
        {
            return ((int)workingTime.TotalMinutes).ToString(culture) + " phút";
        }

        var days = (int)(workingTime.Ticks / WorkingDayLength.Ticks);
        var hours = (int)(workingTime - (days * WorkingDayLength)).TotalHours;
        return (days, hours) switch
        {
            (0, _) => $"{hours.ToString(culture)} giờ",
            (_, 0) => $"{days.ToString(culture)} ngày",
            _ => $"{days.ToString(culture)} ngày {hours.ToString(culture)} giờ",
        };
    }

    /// <summary>The end of the day's last opening period.</summary>
    private DateTimeOffset ClosingOf(DateOnly day) => At(day, PeriodsOn(day)[^1].Closes);

    private DateOnly NextWorkingDay(DateOnly day)
    {
        for (var i = 0; i <= SearchLimitDays; i++, day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                return day;
            }
        }

        throw NoWorkingDay();
    }

    private (TimeOnly Opens, TimeOnly Closes)[] PeriodsOn(DateOnly day) =>
        exceptions.TryGetValue(day, out var exception)
            ? exception.IsWorkingDay ? makeUpDay : []
            : weekly.GetValueOrDefault(day.DayOfWeek) ?? [];

    private static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), Offset);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a.ToOffset(Offset) : b.ToOffset(Offset);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a.ToOffset(Offset) : b.ToOffset(Offset);

    private static TimeSpan Minutes(decimal minutes) => TimeSpan.FromMinutes((long)Math.Round(minutes, MidpointRounding.AwayFromZero));

    /// <summary>Monday = 1 … Sunday = 7.</summary>
    internal static int IsoDay(DayOfWeek day) => day == DayOfWeek.Sunday ? 7 : (int)day;

    private static InvalidOperationException NoWorkingDay() =>
        new("The working calendar has no working day within ten years of the date asked.");
}
