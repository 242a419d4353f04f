using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Pages;

/// <summary>
/// A readable reference of the JSON API, built from the same endpoint metadata as /openapi/v1.json,
/// rendered on the server: no script bundle, readable on a phone.
/// </summary>
internal sealed class ApiReferenceModel(IApiDescriptionGroupCollectionProvider descriptions) : PageModel
{
    public IReadOnlyList<Operation> Operations { get; private set; } = [];

    public void OnGet()
    {
        Operations = descriptions.ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .Where(d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true)
            .Select(d => new Operation(
                d.HttpMethod ?? "GET",
                "/" + d.RelativePath,
                d.ActionDescriptor.EndpointMetadata.OfType<IEndpointSummaryMetadata>().FirstOrDefault()?.Summary,
                d.ActionDescriptor.EndpointMetadata.OfType<IEndpointDescriptionMetadata>().FirstOrDefault()?.Description,
                d.ParameterDescriptions
                    .Where(p => p.Source.Id is "Query" or "Path")
                    .Select(p => new Parameter(p.Name, p.Source.Id == "Path" ? "đường dẫn" : "truy vấn", p.IsRequired))
                    .ToList(),
                d.SupportedResponseTypes.Select(r => r.StatusCode).Distinct().Order().ToList()))
            .OrderBy(o => o.Path, StringComparer.Ordinal)
            .ToList();
    }

    internal sealed record Operation(string Method, string Path, string? Summary, string? Description, IReadOnlyList<Parameter> Parameters, IReadOnlyList<int> StatusCodes);

    internal sealed record Parameter(string Name, string Location, bool Required);
}
