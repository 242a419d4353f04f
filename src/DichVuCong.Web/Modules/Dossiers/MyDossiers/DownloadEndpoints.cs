using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.MyDossiers;

/// <summary>The person's own files: of a dossier, and of the personal data store. Anyone else's is not found.</summary>
internal static class DownloadEndpoints
{
    public static void MapDownloads(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ho-so-cua-toi/{id:guid}/tep/{fileId:guid}", DossierFileAsync).RequireAuthorization().ExcludeFromDescription();
        app.MapGet("/ho-so-cua-toi/kho/{id:guid}", StoredAsync).RequireAuthorization().ExcludeFromDescription();
    }

    private static async Task<IResult> DossierFileAsync(Guid id, Guid fileId, HttpContext http, AppDbContext db, IFileStore files, CancellationToken cancellationToken)
    {
        // A result is the applicant's once it is handed back (for a postal one: once delivered).
        var file = await db.Dossiers.OwnedBy(http.User).Where(d => d.Id == id)
            .SelectMany(d => d.Files, (d, f) => new { File = f, d.Status })
            .Where(x => x.File.Id == fileId && (x.File.Kind != DossierFileKind.Result || x.Status == DossierStatus.Completed))
            .Select(x => x.File).FirstOrDefaultAsync(cancellationToken);
        var content = file is null ? null : files.OpenRead(file.StoragePath);
        return content is null ? Results.NotFound() : Results.File(content, file!.ContentType, file.FileName);
    }

    private static async Task<IResult> StoredAsync(Guid id, HttpContext http, PersonalStore.PersonalDocuments store, CancellationToken cancellationToken)
    {
        var found = DossierAccess.OwnerId(http.User) is { } owner ? await store.OpenAsync(owner, id, cancellationToken) : null;
        return found is { } f ? Results.File(f.Content, f.Document.ContentType, f.Document.FileName) : Results.NotFound();
    }
}
