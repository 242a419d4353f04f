namespace DichVuCong.Web.Common.Persistence;

/// <summary>
/// Remembers each demo-data item once inserted, so a restart neither duplicates it nor brings
/// back what an administrator deleted or changed.
/// </summary>
internal sealed class AppliedSeed
{
    public required string Key { get; init; }

    public DateTime AppliedAt { get; init; }
}
