using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers.AttachFile;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.PersonalStore;

/// <summary>
/// The personal data store (kho dữ liệu cá nhân): what a user keeps, what a later dossier may offer, and
/// deleting one's own. Every method takes the owner, so one user never reads or deletes another's document.
/// Like uploads, bytes are written before rows and removed after them.
/// </summary>
internal sealed class PersonalDocuments(AppDbContext db, IFileStore files, TimeProvider time, ILogger<PersonalDocuments> logger) : IPersonalStore
{
    /// <summary>The document type of a kept result (kết quả giải quyết).</summary>
    public const string ResultType = "Kết quả";

    /// <summary>All of an owner's documents, by type then newest first (for /ho-so-cua-toi).</summary>
    public async Task<List<PersonalDocument>> ListAsync(Guid ownerId, CancellationToken cancellationToken)
    {
        var documents = await db.PersonalDocuments.AsNoTracking().Where(d => d.OwnerId == ownerId).ToListAsync(cancellationToken);
        return [.. documents.OrderBy(d => d.DocumentType, StringComparer.Ordinal).ThenByDescending(d => d.CreatedAt)];
    }

    /// <summary>The owner's still-valid documents of the same type as a component, to offer instead of a new upload.</summary>
    public async Task<List<PersonalDocument>> OffersAsync(Guid ownerId, string componentName, CancellationToken cancellationToken)
    {
        var key = VietnameseText.Fold(componentName);
        var today = Today();
        return [.. (await ListAsync(ownerId, cancellationToken)).Where(d => d.IsValidOn(today) && VietnameseText.Fold(d.DocumentType) == key)];
    }

    /// <summary>One of the owner's documents with its bytes, or null (also for another owner's document).</summary>
    public async Task<(PersonalDocument Document, Stream Content)?> OpenAsync(Guid ownerId, Guid id, CancellationToken cancellationToken)
    {
        var document = await db.PersonalDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.OwnerId == ownerId, cancellationToken);
        var content = document is null ? null : files.OpenRead(document.StoragePath);
        return content is null ? null : (document!, content);
    }

    /// <summary>Sets until when one of the owner's documents is valid (null: no end); false when the owner has no such document.</summary>
    public async Task<bool> SetValidityAsync(Guid ownerId, Guid id, DateOnly? validUntil, CancellationToken cancellationToken) =>
        await db.PersonalDocuments.Where(d => d.Id == id && d.OwnerId == ownerId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ValidUntil, validUntil), cancellationToken) == 1;

    /// <summary>Deletes one of the owner's documents (row, then bytes); false when the owner has no such document.</summary>
    public async Task<bool> DeleteAsync(Guid ownerId, Guid id, CancellationToken cancellationToken)
    {
        var document = await db.PersonalDocuments.FirstOrDefaultAsync(d => d.Id == id && d.OwnerId == ownerId, cancellationToken);
        if (document is null)
        {
            return false;
        }

        db.PersonalDocuments.Remove(document);
        await db.SaveChangesAsync(cancellationToken);
        await files.DeleteOrLeaveToSweeperAsync(document.StoragePath, logger);
        return true;
    }

    /// <summary>
    /// Keeps a copy of each file of a submitted dossier in its owner's store, typed by the component's name.
    /// A file the owner already keeps for that type (same SHA-256) is not copied again. Saves on its own:
    /// call it after the submission is saved, with the dossier's files loaded. Returns the documents added.
    /// </summary>
    /// <param name="componentNames">The procedure's components by id (the document types).</param>
    public Task<List<PersonalDocument>> KeepDossierFilesAsync(Dossier dossier, IReadOnlyDictionary<int, string> componentNames, DateOnly? validUntil, CancellationToken cancellationToken) =>
        KeepAsync(dossier, [.. dossier.Files.Select(f => (f, componentNames.GetValueOrDefault(f.ComponentId, "Giấy tờ khác")))], validUntil, cancellationToken);

    public Task<List<PersonalDocument>> KeepResultsAsync(Dossier dossier, CancellationToken cancellationToken) =>
        KeepAsync(dossier, [.. dossier.Files.Where(f => f.Kind == DossierFileKind.Result).Select(f => (f, ResultType))], null, cancellationToken);

    private async Task<List<PersonalDocument>> KeepAsync(Dossier dossier, IReadOnlyList<(DossierFile File, string Type)> dossierFiles, DateOnly? validUntil, CancellationToken cancellationToken)
    {
        var kept = await db.PersonalDocuments.AsNoTracking().Where(d => d.OwnerId == dossier.OwnerId)
            .Select(d => new { d.DocumentType, d.Sha256 }).ToListAsync(cancellationToken);
        var added = new List<PersonalDocument>();
        try
        {
            foreach (var (file, type) in dossierFiles)
            {
                if (kept.Any(k => k.Sha256 == file.Sha256 && k.DocumentType == type) || added.Any(a => a.Sha256 == file.Sha256 && a.DocumentType == type))
                {
                    continue;
                }

                await using var content = files.OpenRead(file.StoragePath);
                if (content is null)
                {
                    continue;
                }

                var document = NewDocument(dossier.OwnerId, type, file.FileName, file.ContentType, file.Size, file.Sha256, validUntil, dossier.Id, Path.GetExtension(file.StoragePath));
                await files.SaveAsync(document.StoragePath, content, cancellationToken);
                added.Add(document);
                db.PersonalDocuments.Add(document);
            }

            await db.SaveChangesAsync(cancellationToken);
            return added;
        }
        catch
        {
            foreach (var document in added)
            {
                db.Entry(document).State = EntityState.Detached;
                await files.DeleteOrLeaveToSweeperAsync(document.StoragePath, logger);
            }

            throw;
        }
    }

    /// <summary>
    /// Keeps a file the portal made or checked (e.g. an electronic result, kết quả điện tử) in a user's store.
    /// The content type is the caller's; the size and hash are counted here.
    /// </summary>
    public async Task<PersonalDocument> AddAsync(
        Guid ownerId, string documentType, string fileName, string contentType, string extension, Stream content,
        DateOnly? validUntil, Guid? sourceDossierId, CancellationToken cancellationToken)
    {
        await using var buffer = new FileStream(
            Path.Combine(Path.GetTempPath(), "dvc-keep-" + Guid.NewGuid().ToString("N")),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var (size, sha256) = await DossierUploads.CopyCountingAsync(content, buffer, long.MaxValue, cancellationToken);
        buffer.Position = 0;
        var document = NewDocument(ownerId, documentType, fileName, contentType, size, sha256, validUntil, sourceDossierId, "." + extension.TrimStart('.'));
        await files.SaveAsync(document.StoragePath, buffer, cancellationToken);
        try
        {
            db.PersonalDocuments.Add(document);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            db.Entry(document).State = EntityState.Detached;
            await files.DeleteOrLeaveToSweeperAsync(document.StoragePath, logger);
            throw;
        }

        return document;
    }

    private PersonalDocument NewDocument(
        Guid ownerId, string type, string fileName, string contentType, long size, string sha256, DateOnly? validUntil, Guid? sourceDossierId, string extension)
    {
        var id = Guid.NewGuid();
        return new PersonalDocument
        {
            Id = id,
            OwnerId = ownerId,
            DocumentType = type.Length > 500 ? type[..500] : type,
            FileName = fileName,
            StoragePath = $"personal/{ownerId:N}/{id:N}{extension.ToLowerInvariant()}",
            ContentType = contentType,
            Size = size,
            Sha256 = sha256,
            ValidUntil = validUntil,
            SourceDossierId = sourceDossierId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
    }

    private DateOnly Today() => VietnamTime.Today(time);


}
