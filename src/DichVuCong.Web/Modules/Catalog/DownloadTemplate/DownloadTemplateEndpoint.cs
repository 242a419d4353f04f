using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Catalog.DownloadTemplate;

/// <summary>Downloads a form template (mẫu đơn, tờ khai) as the file it is.</summary>
internal static class DownloadTemplateEndpoint
{
    public static void MapDownloadTemplate(this IEndpointRouteBuilder app) =>
        app.MapGet("/mau-don/{key}", HandleAsync)
            .WithName("DownloadTemplate")
            .WithSummary("Tải mẫu đơn, tờ khai");

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> HandleAsync(
        string key, AppDbContext db, IFileStore files, CancellationToken cancellationToken)
    {
        var template = await db.FormTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        var stream = template is null ? null : files.OpenRead(template.StoragePath);
        if (template is null || stream is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Không tìm thấy mẫu đơn", detail: $"Không có mẫu đơn \"{key}\".");
        }

        return TypedResults.File(stream, template.ContentType, template.FileName);
    }
}
