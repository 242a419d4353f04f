using System.Globalization;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Processing;
using DichVuCong.Web.Modules.Processing.DueDates;

namespace DichVuCong.Tests.Modules.Processing;

/// <summary>
/// Due dates checked by hand against the 2026 calendar of shared/data/holidays.md (Tết 14–22/02 off; 27/04 nghỉ bù;
/// 30/04–03/05 off; 29/08–02/09 off with Saturday 22/08 worked; 01–04/01 off with Saturday 10/01 worked). Default
/// week: 07:30–11:30 and 13:00–17:00, Monday–Friday; a working day is 8 working hours. Each row says how it was counted.
/// </summary>
public sealed class DueDateTableTests
{
    /// <summary>The 2026 days of holidays.md (and 31/12/2025, an ordinary Wednesday), written out here rather than read from the seed.</summary>
    internal static readonly CalendarDay[] Days2026 =
    [
        Off("2026-01-01"), Off("2026-01-02"), Off("2026-01-03"), Off("2026-01-04"), Worked("2026-01-10"),
        Off("2026-02-14"), Off("2026-02-15"), Off("2026-02-16"), Off("2026-02-17"), Off("2026-02-18"), Off("2026-02-19"),
        Off("2026-02-20"), Off("2026-02-21"), Off("2026-02-22"),
        Off("2026-04-25"), Off("2026-04-26"), Off("2026-04-27"),
        Off("2026-04-30"), Off("2026-05-01"), Off("2026-05-02"), Off("2026-05-03"),
        Worked("2026-08-22"), Off("2026-08-29"), Off("2026-08-30"), Off("2026-08-31"), Off("2026-09-01"), Off("2026-09-02"),
    ];

    private static readonly WorkingCalendar Calendar = WorkingCalendar.Default(Days2026);

    /// <summary>A commune also open on Saturday mornings, 07:30–11:30.</summary>
    private static readonly WorkingCalendar SaturdayCalendar = new(
        [.. WorkingCalendar.DefaultHours, new OpeningPeriod(DayOfWeek.Saturday, new TimeOnly(7, 30), new TimeOnly(11, 30))], Days2026);

    [Theory]
    // Tết Bính Ngọ: Saturday 14/02 to Sunday 22/02 off.
    [InlineData("2026-02-13 09:00", "WorkingDays", "1", "2026-02-23 09:00")] // Fri 2.5 h + 4 h = 6.5 h; Mon 23/02 07:30 + 1.5 h
    [InlineData("2026-02-13 16:00", "WorkingDays", "1", "2026-02-23 16:00")] // Fri 1 h; Mon 23/02 4 h morning, 3 h from 13:00
    [InlineData("2026-02-14 10:00", "WorkingDays", "1", "2026-02-23 17:00")] // Sat in the break: from Mon 23/02 07:30, the whole day; stays at closing
    [InlineData("2026-02-17 09:00", "WorkingDays", "3", "2026-02-25 17:00")] // mùng 1: from Mon 23/02 07:30, Mon–Wed whole days
    [InlineData("2026-02-12 14:00", "WorkingDays", "2", "2026-02-23 14:00")] // Thu 3 h + Fri 8 h = 11 h; Mon 4 h morning, 1 h from 13:00
    [InlineData("2026-02-12 09:00", "WorkingDays", "5", "2026-02-26 09:00")] // Thu 6.5, Fri 8 → 14.5; Mon–Wed 24 → 38.5; Thu 26/02 + 1.5 h
    [InlineData("2026-02-13 09:00", "SameDay", "1", "2026-02-13 17:00")] // before 15:00 on a working day → its closing
    [InlineData("2026-02-13 15:30", "SameDay", "1", "2026-02-23 17:00")] // after 15:00 → the next working day, after Tết
    [InlineData("2026-02-13 15:00", "SameDay", "1", "2026-02-23 17:00")] // 15:00 itself is not before 15:00
    [InlineData("2026-02-13 08:00", "WorkingHours", "4", "2026-02-13 13:30")] // 3.5 h to 11:30, 0.5 h from 13:00
    [InlineData("2026-02-13 15:00", "WorkingHours", "5", "2026-02-23 10:30")] // Fri 2 h; Mon 23/02 07:30 + 3 h
    [InlineData("2026-02-13 11:30", "WorkingHours", "1", "2026-02-13 14:00")] // at the morning's closing: counted from 13:00
    [InlineData("2026-02-09 10:00", "CalendarDays", "10", "2026-02-23 17:00")] // 09/02 + 10 days = Thu 19/02 (mùng 3, off) → Mon 23/02, at closing
    // 30/4–1/5 (Thu–Fri), with Giỗ Tổ's nghỉ bù on Monday 27/04.
    [InlineData("2026-04-29 10:00", "WorkingDays", "1", "2026-05-04 10:00")] // Wed 1.5 + 4 = 5.5 h; 30/04–03/05 off; Mon 04/05 07:30 + 2.5 h
    [InlineData("2026-04-29 07:00", "WorkingDays", "1", "2026-04-29 17:00")] // before opening: from 07:30; 8 h is the whole day, stays at 17:00
    [InlineData("2026-04-29 12:15", "WorkingDays", "1", "2026-05-04 11:30")] // lunch: from 13:00, 4 h Wed; Mon 04/05 4 h lands on 11:30 and stays
    [InlineData("2026-04-29 15:10", "SameDay", "1", "2026-05-04 17:00")] // after 15:00 on the eve of the break → Mon 04/05
    [InlineData("2026-04-29 06:00", "SameDay", "1", "2026-04-29 17:00")] // before opening counts from 07:30: same day
    [InlineData("2026-04-24 09:00", "WorkingDays", "3", "2026-05-04 09:00")] // Fri 6.5; Mon 27/04 off; Tue 8 → 14.5; Wed 8 → 22.5; Mon 04/05 + 1.5 h
    [InlineData("2026-04-20 09:00", "CalendarDays", "15", "2026-05-05 17:00")] // 20/04 + 15 days = Tue 05/05, a working day
    // Quốc khánh: Sat 29/08 – Wed 02/09 off, Saturday 22/08 worked for Monday 31/08.
    [InlineData("2026-08-28 09:00", "WorkingDays", "1", "2026-09-03 09:00")] // Fri 6.5 h; Thu 03/09 07:30 + 1.5 h
    [InlineData("2026-08-21 16:00", "WorkingDays", "1", "2026-08-22 16:00")] // Fri 1 h; Sat 22/08 is worked: 4 h + 3 h
    [InlineData("2026-08-22 10:00", "SameDay", "1", "2026-08-22 17:00")] // the make-up Saturday is a full working day
    [InlineData("2026-08-22 12:00", "WorkingHours", "4", "2026-08-22 17:00")] // lunch on the make-up Saturday: 13:00 + 4 h
    [InlineData("2026-08-27 10:00", "WorkingDays", "2", "2026-09-03 10:00")] // Thu 5.5, Fri 8 → 13.5 h; Thu 03/09 + 2.5 h
    [InlineData("2026-08-29 09:00", "WorkingHours", "2", "2026-09-03 09:30")] // Sat in the break: from Thu 03/09 07:30
    // New year: 01–04/01 off, Saturday 10/01 worked for Friday 02/01.
    [InlineData("2026-01-09 14:00", "WorkingDays", "1", "2026-01-10 14:00")] // Fri 3 h; Sat 10/01: 4 h + 1 h
    [InlineData("2025-12-31 10:00", "WorkingDays", "2", "2026-01-06 10:00")] // Wed 5.5; Mon 05/01 8 → 13.5; Tue 06/01 + 2.5 h
    [InlineData("2026-01-11 09:00", "WorkingDays", "1", "2026-01-12 17:00")] // Sunday: from Mon 07:30, the whole day
    [InlineData("2026-01-01 09:00", "CalendarDays", "1", "2026-01-06 17:00")] // a holiday: the clock starts Mon 05/01; the next day is Tue 06/01
    public void Due_dates_on_the_default_calendar(string receivedAt, string unit, string amount, string expected)
    {
        var due = Calendar.DueAt(At(receivedAt), decimal.Parse(amount, CultureInfo.InvariantCulture), Enum.Parse<TimeLimitUnit>(unit));

        Assert.Equal(At(expected), due);
        Assert.Equal(TimeSpan.FromHours(7), due.Offset);
    }

    [Theory]
    [InlineData("2026-01-16 15:00", "WorkingDays", "1", "2026-01-19 09:30")] // Fri 2 h; Sat 17/01 morning 4 h → 6 h; Mon 07:30 + 2 h
    [InlineData("2026-01-17 11:00", "WorkingDays", "1", "2026-01-19 16:30")] // Sat 0.5 h; Mon 4 h morning → 4.5; 3.5 h from 13:00
    [InlineData("2026-01-17 10:00", "SameDay", "1", "2026-01-17 11:30")] // Saturday before 15:00 → the Saturday's closing
    [InlineData("2026-01-17 12:00", "SameDay", "1", "2026-01-19 17:00")] // Saturday after closing → Monday's closing
    [InlineData("2026-02-13 16:00", "WorkingDays", "1", "2026-02-23 16:00")] // Sat 14/02 and 21/02 are in the Tết break: closed
    [InlineData("2026-01-10 12:00", "WorkingHours", "4", "2026-01-10 17:00")] // make-up Saturday 10/01 works a weekday's hours, afternoon too
    public void Due_dates_at_a_commune_open_on_saturday_mornings(string receivedAt, string unit, string amount, string expected)
    {
        Assert.Equal(At(expected), SaturdayCalendar.DueAt(At(receivedAt), decimal.Parse(amount, CultureInfo.InvariantCulture), Enum.Parse<TimeLimitUnit>(unit)));
    }

    [Fact]
    public void An_instant_in_another_offset_is_the_same_instant_and_the_answer_is_in_vietnam_time()
    {
        // 02:00 UTC = 09:00 in Vietnam, the Friday before Tết (first row above).
        var due = Calendar.DueAt(DateTimeOffset.Parse("2026-02-13T02:00:00Z", CultureInfo.InvariantCulture), 1, TimeLimitUnit.WorkingDays);

        Assert.Equal("2026-02-23T09:00:00+07:00", due.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-02-23 07:00", "2026-02-23 07:30")] // before opening → opening
    [InlineData("2026-02-23 10:00", "2026-02-23 10:00")] // inside hours → itself
    [InlineData("2026-02-23 11:30", "2026-02-23 13:00")] // the morning's closing → 13:00
    [InlineData("2026-02-23 12:00", "2026-02-23 13:00")] // lunch → 13:00
    [InlineData("2026-02-23 17:00", "2026-02-24 07:30")] // closing → next morning
    [InlineData("2026-02-13 18:00", "2026-02-23 07:30")] // Friday evening before Tết → the Monday after it
    [InlineData("2026-08-21 17:30", "2026-08-22 07:30")] // Friday evening → the make-up Saturday
    public void The_clock_starts_at_the_next_opening(string instant, string expected)
    {
        Assert.Equal(At(expected), Calendar.StartOfWork(At(instant)));
    }

    [Theory]
    [InlineData("2026-02-13 09:00", "2026-02-23 09:00", 8)] // Fri 6.5 h + Mon 1.5 h; the nine days of Tết count nothing
    [InlineData("2026-02-23 09:00", "2026-02-13 09:00", -8)] // backwards: negative
    [InlineData("2026-04-29 12:00", "2026-05-04 12:00", 8)] // Wed afternoon 4 h + Mon morning 4 h
    [InlineData("2026-08-21 13:00", "2026-08-24 07:30", 12)] // Fri afternoon 4 h + the make-up Saturday 8 h
    public void Working_time_between_two_instants(string from, string to, double hours)
    {
        Assert.Equal(TimeSpan.FromHours(hours), Calendar.WorkingTimeBetween(At(from), At(to)));
    }

    [Theory]
    // Received Thu 12/02 09:00 with 5 working days: due Thu 26/02 09:00 (row above). Supplement asked Fri 13/02 10:00,
    // resubmitted Tue 24/02 14:00: paused Fri 5.5 h + Mon 8 h + Tue 5 h = 18.5 h. From Thu 26/02 09:00: Thu 6.5 → 12 left;
    // Fri 27/02 8 → 4 left; Mon 02/03 07:30 + 4 h lands on 11:30 and stays.
    [InlineData("2026-02-26 09:00", "2026-02-13 10:00", "2026-02-24 14:00", "2026-03-02 11:30")]
    [InlineData("2026-02-26 09:00", "2026-02-14 09:00", "2026-02-22 15:00", "2026-02-26 09:00")] // paused only during Tết: no working time, unchanged
    [InlineData("2026-02-26 09:00", "2026-02-25 11:45", "2026-02-25 12:45", "2026-02-26 09:00")] // paused over lunch: unchanged
    // Paused Tue 28/04 16:00 → Mon 04/05 08:30: 1 h + Wed 8 h + Mon 1 h = 10 h. From Wed 06/05 10:00: Wed 5.5 → 4.5 left;
    // Thu 07/05 morning 4 → 0.5 left; 13:30.
    [InlineData("2026-05-06 10:00", "2026-04-28 16:00", "2026-05-04 08:30", "2026-05-07 13:30")]
    // Paused Fri 21/08 15:00 → Mon 24/08 07:30: Fri 2 h + the make-up Saturday 8 h = 10 h. From Mon 24/08 17:00: Tue 25/08
    // whole day 8 h, Wed 26/08 07:30 + 2 h.
    [InlineData("2026-08-24 17:00", "2026-08-21 15:00", "2026-08-24 07:30", "2026-08-26 09:30")]
    public void The_clock_stops_while_a_supplement_is_awaited(string dueAt, string pausedAt, string resumedAt, string expected)
    {
        Assert.Equal(At(expected), Calendar.Resume(At(dueAt), At(pausedAt), At(resumedAt)));
    }

    [Theory]
    [InlineData("2026-02-25 16:00", "Early")] // the day before the due date
    [InlineData("2026-02-26 08:30", "OnTime")] // the due date's day, before the due time
    [InlineData("2026-02-26 09:00", "OnTime")] // at the due instant itself
    [InlineData("2026-02-26 09:01", "Late")] // a minute after
    [InlineData("2026-03-02 08:00", "Late")] // days after
    public void Finished_early_on_time_or_late_against_a_due_date_of_thursday_26_02_09_00(string finishedAt, string expected)
    {
        Assert.Equal(Enum.Parse<Timeliness>(expected), WorkingCalendar.TimelinessOf(At(finishedAt), At("2026-02-26 09:00")));
    }

    [Theory]
    [InlineData("2026-02-23 09:00", "2026-02-26 09:00", "còn 3 ngày làm việc")] // Mon 6.5 + Tue 8 + Wed 8 + Thu 1.5 = 24 h
    [InlineData("2026-02-11 09:00", "2026-02-23 10:00", "còn 3 ngày 1 giờ làm việc")] // Wed 6.5 + Thu 8 + Fri 8 + Mon 2.5 = 25 h
    [InlineData("2026-02-13 16:00", "2026-02-23 10:00", "còn 3 giờ làm việc")] // Fri 1 h + Mon 2.5 h = 3.5 h, rounded down
    [InlineData("2026-02-26 16:20", "2026-02-26 17:00", "còn 40 phút làm việc")]
    [InlineData("2026-02-26 17:00", "2026-02-26 17:00", "đến hạn")]
    [InlineData("2026-03-02 14:00", "2026-02-27 09:00", "quá hạn 1 ngày 3 giờ làm việc")] // Fri 6.5 + Mon 5 = 11.5 h
    [InlineData("2026-02-13 18:00", "2026-02-13 17:00", "đã quá hạn")] // the evening of the due date: late, but no working time yet
    public void Remaining_time_in_words(string now, string dueAt, string expected)
    {
        Assert.Equal(expected, Calendar.RemainingText(At(now), At(dueAt)));
    }

    /// <summary>"2026-02-13 09:00" in Vietnam time.</summary>
    internal static DateTimeOffset At(string local) =>
        new(DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), TimeSpan.FromHours(7));

    private static CalendarDay Off(string date) => new() { Date = DateOnly.Parse(date, CultureInfo.InvariantCulture), IsWorkingDay = false, Name = "nghỉ" };

    private static CalendarDay Worked(string date) => new() { Date = DateOnly.Parse(date, CultureInfo.InvariantCulture), IsWorkingDay = true, Name = "làm bù" };
}
