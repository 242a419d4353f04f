using Microsoft.AspNetCore.Http.HttpResults;

namespace DichVuCong.Web.Modules.Catalog.SearchProcedures;

internal sealed record ProcedureListItem(
    string Code,
    string Name,
    string Field,
    string FieldCode,
    IReadOnlyList<string> AgencyLevels,
    string OnlineLevel,
    string OnlineLevelText,
    string Url);

internal sealed record ProcedurePage(IReadOnlyList<ProcedureListItem> Items, int Total, int Page, int PageSize);

internal static class SearchProceduresEndpoint
{
    public static void MapSearchProcedures(this IEndpointRouteBuilder api) =>
        api.MapGet("/procedures", HandleAsync)
            .WithName("SearchProcedures")
            .WithSummary("Tìm kiếm, lọc danh mục thủ tục hành chính")
            .WithDescription("Tìm không phân biệt hoa thường và dấu tiếng Việt; khớp một phần từ và mã thủ tục. Tên khớp xếp trước nội dung khớp.");

    private static async Task<Results<Ok<ProcedurePage>, ValidationProblem>> HandleAsync(
        SearchProceduresHandler handler,
        CancellationToken cancellationToken,
        string? q = null,
        string? agency = null,
        string? field = null,
        string? level = null,
        string? onlineLevel = null,
        string? page = null,
        string? pageSize = null)
    {
        var (result, errors) = await handler.HandleAsync(new SearchProceduresQuery(q, agency, field, level, onlineLevel, page, pageSize), cancellationToken);
        if (result is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Tham số không hợp lệ");
        }

        var items = result.Items.Select(ToItem).ToList();
        return TypedResults.Ok(new ProcedurePage(items, result.Total, result.Page, result.PageSize));
    }

    internal static ProcedureListItem ToItem(ProcedureEntry p) => new(
        p.Code,
        p.Name,
        p.Field.Name,
        p.Field.Code,
        p.Levels.Select(AgencyLevels.Slug).ToList(),
        OnlineLevels.Slug(p.OnlineLevel),
        OnlineLevels.Label(p.OnlineLevel),
        "/thu-tuc/" + p.Code);
}
