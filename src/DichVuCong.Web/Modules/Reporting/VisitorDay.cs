namespace DichVuCong.Web.Modules.Reporting;

/// <summary>Distinct visitors of one Vietnam-time day.</summary>
internal sealed class VisitorDay
{
    public DateOnly Date { get; init; }

    public int Visitors { get; set; }
}
