using Microsoft.AspNetCore.Http.HttpResults;

namespace DichVuCong.Web.Modules.Catalog.ViewProcedure;

internal static class ViewProcedureEndpoint
{
    public static void MapViewProcedure(this IEndpointRouteBuilder api) =>
        api.MapGet("/procedures/{code}", HandleAsync)
            .WithName("ViewProcedure")
            .WithSummary("Toàn bộ thông tin một thủ tục hành chính theo mã (ví dụ 1.001193)");

    private static async Task<Results<Ok<ProcedureDetails>, ProblemHttpResult>> HandleAsync(
        string code, ViewProcedureHandler handler, CancellationToken cancellationToken)
    {
        var details = await handler.HandleAsync(code, cancellationToken);
        return details is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Không tìm thấy thủ tục",
                detail: $"Không có thủ tục hành chính mã \"{code}\" trong danh mục.")
            : TypedResults.Ok(details);
    }
}
