namespace DichVuCong.Web.Modules.Processing;

/// <summary>
/// One opening period of a week (giờ làm việc), e.g. Saturday 07:30–11:30. The rows of an agency are its whole
/// week; an agency without rows keeps its parent's week, then the default: the rows without an agency, or
/// 07:30–11:30 and 13:00–17:00 Monday–Friday when there are none (docs/decisions/0011-due-dates.md).
/// </summary>
internal sealed class WorkingPeriod
{
    public int Id { get; private set; }

    /// <summary>The agency whose week this is; null for the default week of every agency without its own.</summary>
    public int? AgencyId { get; init; }

    public DayOfWeek Day { get; init; }

    public TimeOnly Opens { get; set; }

    public TimeOnly Closes { get; set; }
}
