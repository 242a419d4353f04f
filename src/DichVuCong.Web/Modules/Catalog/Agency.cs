namespace DichVuCong.Web.Modules.Catalog;

/// <summary>Administrative level of an agency. The district level is historical (gone since 1/7/2025) but kept as data.</summary>
internal enum AgencyLevel
{
    Ministry = 1,
    Province = 2,
    District = 3,
    Commune = 4,
}

/// <summary>A body with an electronic agency code (QCVN 102:2016), in a tree of any depth.</summary>
internal sealed class Agency
{
    public int Id { get; private set; }

    /// <summary>Electronic code such as <c>000.00.12.H99</c>; data, never computed.</summary>
    public required string Code { get; init; }

    public required string Name { get; set; }

    public AgencyLevel Level { get; set; }

    public int? ParentId { get; set; }

    public Agency? Parent { get; private set; }

    public List<Agency> Children { get; private set; } = [];

    public string? Address { get; set; }

    public string? Phone { get; set; }

    public string? Email { get; set; }

    public int SortOrder { get; set; }

    /// <summary>Whether citizens can hand in dossiers here (a one-stop desk or service centre).</summary>
    public bool ReceivesDossiers { get; set; }
}

internal static class AgencyLevels
{
    public static readonly AgencyLevel[] All = [AgencyLevel.Ministry, AgencyLevel.Province, AgencyLevel.District, AgencyLevel.Commune];

    public static string Label(AgencyLevel level) => level switch
    {
        AgencyLevel.Ministry => "Cấp bộ, ngành",
        AgencyLevel.Province => "Cấp tỉnh",
        AgencyLevel.District => "Cấp huyện",
        AgencyLevel.Commune => "Cấp xã",
        _ => level.ToString(),
    };

    /// <summary>The word used in addresses and API parameters: <c>tinh</c>, <c>xa</c>, ...</summary>
    public static string Slug(AgencyLevel level) => level switch
    {
        AgencyLevel.Ministry => "bo",
        AgencyLevel.Province => "tinh",
        AgencyLevel.District => "huyen",
        AgencyLevel.Commune => "xa",
        _ => level.ToString().ToLowerInvariant(),
    };
}
