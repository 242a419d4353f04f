using DichVuCong.Web.Common.Web;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Catalog.ViewProcedure;

/// <summary>The procedure page <c>/thu-tuc/{code}</c>: every part of the record, laid out for reading.</summary>
[OutputCache(PolicyName = WebModule.PublicPageCache)]
internal sealed class ViewProcedurePageModel(ViewProcedureHandler handler) : PageModel
{
    public ProcedureDetails Procedure { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken cancellationToken)
    {
        var details = await handler.HandleAsync(code, cancellationToken);
        if (details is null)
        {
            return NotFound();
        }

        Procedure = details;
        return Page();
    }

    public static string Count(int originals, int copies)
    {
        var parts = new List<string>();
        if (originals > 0)
        {
            parts.Add($"{originals:00} bản chính");
        }

        if (copies > 0)
        {
            parts.Add($"{copies:00} bản sao");
        }

        return parts.Count == 0 ? "—" : string.Join(", ", parts);
    }
}
