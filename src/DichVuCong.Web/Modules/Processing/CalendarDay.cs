namespace DichVuCong.Web.Modules.Processing;

/// <summary>
/// An exception to the Monday–Friday week: a weekday off (public holiday, swap, nghỉ bù) or a
/// Saturday/Sunday worked (ngày làm bù). Ordinary days are not stored.
/// </summary>
internal sealed class CalendarDay
{
    public DateOnly Date { get; init; }

    public bool IsWorkingDay { get; set; }

    public required string Name { get; set; }

    /// <summary>The legal basis or announcement.</summary>
    public string? Basis { get; set; }
}
