using DichVuCong.Web.Common.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Pages;

internal sealed class ComingSoonModel : PageModel
{
    public string Title { get; private set; } = "Chức năng đang được xây dựng";

    public void OnGet()
    {
        var path = HttpContext.Request.Path.Value?.TrimEnd('/') ?? string.Empty;
        Title = WebModule.ComingSoon.FirstOrDefault(c => string.Equals(c.Route, path, StringComparison.OrdinalIgnoreCase)).Title ?? Title;
    }
}
