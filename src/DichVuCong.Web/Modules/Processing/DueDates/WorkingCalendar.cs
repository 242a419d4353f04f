using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.DueDates;

// TEMPORARY (branch workflow): a naive stand-in with the signatures of the due-dates branch, which replaces
// this file at merge. Mon–Fri 07:30–11:30 and 13:00–17:00, plus the CalendarDay exceptions.

/// <summary>Finished before the due day, on it, or after the due instant.</summary>
internal enum Timeliness
{
    Early = 0,
    OnTime = 1,
    Late = 2,
}

/// <summary>Gives the working calendar an agency follows.</summary>
internal sealed class WorkingCalendars(AppDbContext db)
{
    public async Task<WorkingCalendar> ForAgencyAsync(int agencyId, CancellationToken cancellationToken)
    {
        _ = agencyId;
        var days = await db.CalendarDays.AsNoTracking().ToDictionaryAsync(d => d.Date, d => d.IsWorkingDay, cancellationToken);
        return new WorkingCalendar(days);
    }
}

/// <summary>Working time arithmetic in Vietnam time (+07:00).</summary>
internal sealed class WorkingCalendar(IReadOnlyDictionary<DateOnly, bool> exceptions)
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(7);
    private static readonly (TimeOnly Start, TimeOnly End)[] Shifts = [(new(7, 30), new(11, 30)), (new(13, 0), new(17, 0))];

    public bool IsWorkingDay(DateOnly day) =>
        exceptions.TryGetValue(day, out var working) ? working : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    public DateTimeOffset DueAt(DateTimeOffset receivedAt, decimal amount, TimeLimitUnit unit)
    {
        var local = receivedAt.ToOffset(Offset);
        switch (unit)
        {
            case TimeLimitUnit.SameDay:
                var day = DateOnly.FromDateTime(local.DateTime);
                if (!IsWorkingDay(day) || local.TimeOfDay > new TimeSpan(15, 0, 0))
                {
                    day = NextWorkingDay(day.AddDays(1));
                }

                return At(day, Shifts[^1].End);
            case TimeLimitUnit.WorkingHours:
                return AddWorkingTime(StartOfWork(receivedAt), TimeSpan.FromHours((double)amount));
            case TimeLimitUnit.CalendarDays:
                var end = DateOnly.FromDateTime(local.DateTime).AddDays((int)Math.Ceiling(amount));
                return At(NextWorkingDay(end), Shifts[^1].End);
            default:
                return AddWorkingTime(StartOfWork(receivedAt), TimeSpan.FromHours((double)amount * 8));
        }
    }

    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(from.ToOffset(Offset).DateTime); day <= DateOnly.FromDateTime(to.ToOffset(Offset).DateTime); day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var (start, stop) in Shifts)
            {
                var a = Max(At(day, start), from);
                var b = Min(At(day, stop), to);
                if (b > a)
                {
                    total += b - a;
                }
            }
        }

        return total;
    }

    public DateTimeOffset AddWorkingTime(DateTimeOffset from, TimeSpan amount)
    {
        var at = from.ToOffset(Offset);
        var left = amount;
        for (var day = DateOnly.FromDateTime(at.DateTime); ; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var (start, stop) in Shifts)
            {
                var a = Max(At(day, start), at);
                var b = At(day, stop);
                if (b <= a)
                {
                    continue;
                }

                if (b - a >= left)
                {
                    return a + left;
                }

                left -= b - a;
            }
        }
    }

    public DateTimeOffset StartOfWork(DateTimeOffset instant) => IsWithinShift(instant) ? instant : NextShiftStart(instant);

    public DateTimeOffset Resume(DateTimeOffset dueAt, DateTimeOffset pausedAt, DateTimeOffset resumedAt) =>
        AddWorkingTime(dueAt, WorkingTimeBetween(pausedAt, resumedAt));

    public static Timeliness TimelinessOf(DateTimeOffset finishedAt, DateTimeOffset dueAt)
    {
        if (finishedAt > dueAt)
        {
            return Timeliness.Late;
        }

        return DateOnly.FromDateTime(finishedAt.ToOffset(Offset).DateTime) < DateOnly.FromDateTime(dueAt.ToOffset(Offset).DateTime) ? Timeliness.Early : Timeliness.OnTime;
    }

    public string RemainingText(DateTimeOffset now, DateTimeOffset dueAt)
    {
        var late = now > dueAt;
        var span = late ? WorkingTimeBetween(dueAt, now) : WorkingTimeBetween(now, dueAt);
        var hours = (int)Math.Floor(span.TotalHours);
        var text = (hours / 8, hours % 8) switch
        {
            (0, 0) => span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} phút làm việc" : "dưới 1 phút",
            (0, var h) => $"{h} giờ làm việc",
            (var d, 0) => $"{d} ngày làm việc",
            (var d, var h) => $"{d} ngày {h} giờ làm việc",
        };
        return late ? "quá hạn " + text : "còn " + text;
    }

    private bool IsWithinShift(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Offset);
        var day = DateOnly.FromDateTime(local.DateTime);
        return IsWorkingDay(day) && Shifts.Any(s => local >= At(day, s.Start) && local < At(day, s.End));
    }

    private DateTimeOffset NextShiftStart(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Offset);
        for (var day = DateOnly.FromDateTime(local.DateTime); ; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }

            foreach (var (start, _) in Shifts)
            {
                if (At(day, start) >= local)
                {
                    return At(day, start);
                }
            }
        }
    }

    private DateOnly NextWorkingDay(DateOnly day)
    {
        while (!IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), Offset);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
