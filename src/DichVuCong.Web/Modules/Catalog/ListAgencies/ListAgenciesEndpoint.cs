using Microsoft.AspNetCore.Http.HttpResults;

namespace DichVuCong.Web.Modules.Catalog.ListAgencies;

internal sealed record AgencyTreeItem(string Code, string Name, string Level, string LevelText, int ProcedureCount, IReadOnlyList<AgencyTreeItem> Children);

internal static class ListAgenciesEndpoint
{
    public static void MapListAgencies(this IEndpointRouteBuilder api) =>
        api.MapGet("/agencies", HandleAsync)
            .WithName("ListAgencies")
            .WithSummary("Cây cơ quan, đơn vị: mã định danh, tên, cấp, đơn vị trực thuộc");

    private static async Task<Ok<IReadOnlyList<AgencyTreeItem>>> HandleAsync(CatalogIndex index, CancellationToken cancellationToken)
    {
        var catalog = await index.GetAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AgencyTreeItem>>(catalog.Agencies.Roots.Select(ToItem).ToList());
    }

    private static AgencyTreeItem ToItem(AgencyNode node) => new(
        node.Code,
        node.Name,
        AgencyLevels.Slug(node.Level),
        AgencyLevels.Label(node.Level),
        node.ProcedureCount,
        node.Children.Select(ToItem).ToList());
}
