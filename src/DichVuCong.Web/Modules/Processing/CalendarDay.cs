namespace DichVuCong.Web.Modules.Processing;

/// <summary>
/// An exception to the Monday–Friday week: a weekday off (public holiday, swap, nghỉ bù) or a
/// Saturday/Sunday worked (ngày làm bù). The Saturdays and Sundays inside an announced break are stored
/// as days off too, for agencies open at weekends. Ordinary days are not stored.
/// </summary>
internal sealed class CalendarDay
{
    public DateOnly Date { get; init; }

    public bool IsWorkingDay { get; set; }

    public required string Name { get; set; }

    /// <summary>The legal basis or announcement.</summary>
    public string? Basis { get; set; }
}
