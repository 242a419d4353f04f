using DichVuCong.Web.Common.Web;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Modules.Catalog.SearchProcedures;

/// <summary>The catalog page <c>/thu-tuc</c>: keyword, filters and paging, all in the address.</summary>
[OutputCache(PolicyName = WebModule.PublicPageCache)]
internal sealed class SearchProceduresPageModel(SearchProceduresHandler handler, CatalogIndex catalog) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "agency")]
    public string? Agency { get; set; }

    [BindProperty(SupportsGet = true, Name = "field")]
    public string? Field { get; set; }

    [BindProperty(SupportsGet = true, Name = "level")]
    public string? Level { get; set; }

    [BindProperty(SupportsGet = true, Name = "onlineLevel")]
    public string? OnlineLevel { get; set; }

    /// <summary>Read from the query directly: "page" is also Razor Pages' own route value.</summary>
    public string? PageNumber => Request.Query["page"].FirstOrDefault();

    public SearchProceduresResult? Result { get; private set; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public CatalogIndex.Snapshot Catalog { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Catalog = await catalog.GetAsync(cancellationToken);
        var (result, errors) = await handler.HandleAsync(new SearchProceduresQuery(Q, Agency, Field, Level, OnlineLevel, PageNumber), cancellationToken);
        Errors = errors;
        Result = result;
        if (result is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    /// <summary>The address of another page of the same search.</summary>
    public string PageUrl(int page)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Q,
            ["agency"] = Agency,
            ["field"] = Field,
            ["level"] = Level,
            ["onlineLevel"] = OnlineLevel,
            ["page"] = page > 1 ? page.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
            "/thu-tuc", query.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    /// <summary>The agency tree as a flat list with depths, for an indented drop-down.</summary>
    public static IEnumerable<(AgencyNode Node, int Depth)> Flatten(IEnumerable<AgencyNode> nodes, int depth) =>
        nodes.SelectMany(n => Flatten(n.Children, depth + 1).Prepend((n, depth)));

    public static string FieldLabel(string key) => key switch
    {
        "q" => "Từ khóa",
        "agency" => "Cơ quan thực hiện",
        "field" => "Lĩnh vực",
        "level" => "Cấp thực hiện",
        "onlineLevel" => "Mức độ trực tuyến",
        "page" => "Trang",
        _ => key,
    };

    public static string FieldId(string key) => key switch
    {
        "page" => "q",
        _ => key,
    };
}
