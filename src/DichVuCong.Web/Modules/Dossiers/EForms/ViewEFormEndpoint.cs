using Microsoft.AspNetCore.Http.HttpResults;

namespace DichVuCong.Web.Modules.Dossiers.EForms;

internal static class ViewEFormEndpoint
{
    public static void MapViewEForm(this IEndpointRouteBuilder api) =>
        api.MapGet("/procedures/{code}/eform", Handle)
            .WithName("ViewEForm")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Định nghĩa tờ khai điện tử của một thủ tục (các trường, kiểu, bắt buộc, lựa chọn, điều kiện hiển thị)")
            .WithDescription("Để ứng dụng khác (ứng dụng di động, ki-ốt) dựng được tờ khai. Trường có showIf chỉ hiện, chỉ bắt buộc và chỉ được lưu khi trường kia có giá trị equals. Ngày gửi dạng dd/MM/yyyy hoặc yyyy-MM-dd.");

    private static Results<Ok<EForm>, ProblemHttpResult> Handle(string code, EFormRegistry eforms) =>
        eforms.Find(code) is { } form
            ? TypedResults.Ok(form)
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Thủ tục không có tờ khai điện tử",
                detail: $"Thủ tục mã \"{code}\" không có tờ khai điện tử; hồ sơ chỉ cần các thành phần giấy tờ.");
}
