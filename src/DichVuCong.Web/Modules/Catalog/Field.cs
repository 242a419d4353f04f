namespace DichVuCong.Web.Modules.Catalog;

/// <summary>A domain of procedures (lĩnh vực): Hộ tịch, Chứng thực, Xây dựng, ...</summary>
internal sealed class Field
{
    public int Id { get; private set; }

    /// <summary>Short address-safe code such as <c>ho-tich</c>.</summary>
    public required string Code { get; init; }

    public required string Name { get; set; }

    public int SortOrder { get; set; }
}
