using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Pages;

[IgnoreAntiforgeryToken]
internal sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Đã có lỗi xảy ra";

    public string Message { get; private set; } = "Hệ thống gặp sự cố khi xử lý yêu cầu của bạn. Vui lòng thử lại sau ít phút.";

    public string? TraceId { get; private set; }

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        Response.StatusCode = code is >= 400 and < 600 ? code.Value : StatusCodes.Status500InternalServerError;
        if (Response.StatusCode == StatusCodes.Status404NotFound)
        {
            Title = "Không tìm thấy trang";
            Message = "Địa chỉ bạn mở không có trên Cổng Dịch vụ công. Hãy kiểm tra lại địa chỉ, hoặc tìm thủ tục cần làm.";
        }
        else if (Response.StatusCode < 500)
        {
            Title = "Yêu cầu không thực hiện được";
            Message = "Yêu cầu của bạn không hợp lệ hoặc bạn không có quyền thực hiện. Vui lòng quay lại và thử lại.";
        }
        else
        {
            TraceId = HttpContext.TraceIdentifier;
        }
    }
}
