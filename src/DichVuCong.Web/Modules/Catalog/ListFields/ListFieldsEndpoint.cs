using Microsoft.AspNetCore.Http.HttpResults;

namespace DichVuCong.Web.Modules.Catalog.ListFields;

internal sealed record FieldItem(string Code, string Name, int ProcedureCount);

internal static class ListFieldsEndpoint
{
    public static void MapListFields(this IEndpointRouteBuilder api) =>
        api.MapGet("/fields", HandleAsync)
            .WithName("ListFields")
            .WithSummary("Các lĩnh vực thủ tục hành chính");

    private static async Task<Ok<IReadOnlyList<FieldItem>>> HandleAsync(CatalogIndex index, CancellationToken cancellationToken)
    {
        var catalog = await index.GetAsync(cancellationToken);
        var counts = catalog.Procedures.GroupBy(p => p.Field.Id).ToDictionary(g => g.Key, g => g.Count());
        return TypedResults.Ok<IReadOnlyList<FieldItem>>(
            catalog.Fields.Select(f => new FieldItem(f.Code, f.Name, counts.GetValueOrDefault(f.Id))).ToList());
    }
}
