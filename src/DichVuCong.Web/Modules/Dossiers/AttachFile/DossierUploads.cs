using System.Globalization;
using System.Security.Cryptography;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Dossiers.AttachFile;

/// <summary>The outcome of an attach: the new file, or a message for the user that names the file.</summary>
internal sealed record UploadResult(DossierFile? File, string? Error)
{
    public bool Succeeded => File is not null;

    public static UploadResult Refused(string error) => new(null, error);
}

/// <summary>
/// Attaches files to a draft's document components (thành phần hồ sơ). The bytes are written first, then the
/// row; a failed save removes the written file, and <see cref="OrphanFileSweeper"/> removes what a crash
/// between the two writes leaves. So the worst case is a stray file for a few hours, never a row without its file.
/// </summary>
internal sealed class DossierUploads(
    AppDbContext db, IFileStore files, IOptions<UploadOptions> options, TimeProvider time, ILogger<DossierUploads> logger) : IDossierFiles
{
    private readonly UploadOptions limits = options.Value;

    /// <summary>A draft's files, or while a supplement is asked for, the files the applicant adds (kept apart as a supplement).</summary>
    public async Task<UploadResult> AttachAsync(Dossier draft, int componentId, string fileName, Stream content, CancellationToken cancellationToken)
    {
        if (!draft.TakesFiles)
        {
            return UploadResult.Refused("Hồ sơ đã nộp; không thể thay đổi tệp đính kèm.");
        }

        var kind = draft.IsDraft ? DossierFileKind.Application : DossierFileKind.Supplement;
        return await CheckAndStoreAsync(draft, componentId, kind, fileName, content, save: true, cancellationToken);
    }

    /// <summary>An officer's file (a result, an attachment to an action): checked and written, its row added for the caller's save.</summary>
    public async Task<(DossierFile? File, string? Error)> StageAsync(Dossier dossier, DossierFileKind kind, string fileName, Stream content, CancellationToken cancellationToken)
    {
        var result = await CheckAndStoreAsync(dossier, 0, kind, fileName, content, save: false, cancellationToken);
        return (result.File, result.Error);
    }

    private async Task<UploadResult> CheckAndStoreAsync(Dossier draft, int componentId, DossierFileKind fileKind, string fileName, Stream content, bool save, CancellationToken cancellationToken)
    {
        // Officers' files belong to no document component of the procedure.
        var component = componentId == 0 ? new { Name = "Tệp của cơ quan" } : await db.Set<DocumentComponent>().AsNoTracking()
            .Where(c => c.Id == componentId && c.ProcedureId == draft.ProcedureId)
            .Select(c => new { c.Name })
            .FirstOrDefaultAsync(cancellationToken);
        if (component is null)
        {
            return UploadResult.Refused("Thành phần hồ sơ này không thuộc thủ tục của hồ sơ.");
        }

        var existing = await db.DossierFiles.AsNoTracking().Where(f => f.DossierId == draft.Id)
            .Select(f => new ExistingFile(f.ComponentId, f.Size)).ToListAsync(cancellationToken);
        var result = await StoreAsync(draft.Id, componentId, component.Name, existing, fileName, content, cancellationToken, fileKind);
        if (!result.Succeeded)
        {
            return result;
        }

        var file = result.File!;
        if (!save)
        {
            db.DossierFiles.Add(file);
            return result;
        }

        try
        {
            db.DossierFiles.Add(file);
            if (db.Entry(draft).State != EntityState.Detached && draft.IsDraft)
            {
                draft.Touch(file.UploadedAt);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            db.Entry(file).State = EntityState.Detached;
            await files.DeleteOrLeaveToSweeperAsync(file.StoragePath, logger);
            throw;
        }

        // Two uploads at the same moment each saw room for themselves; counted again now both are saved, the
        // one that finds the total over the limit takes itself back (both may: the dossier is never over).
        var total = await db.DossierFiles.Where(f => f.DossierId == draft.Id).SumAsync(f => f.Size, cancellationToken);
        if (total > limits.MaxDossierBytes)
        {
            await db.DossierFiles.Where(f => f.Id == file.Id).ExecuteDeleteAsync(cancellationToken);
            db.Entry(file).State = EntityState.Detached;
            await files.DeleteOrLeaveToSweeperAsync(file.StoragePath, logger);
            return UploadResult.Refused($"Không thể thêm tệp {UploadChecks.Quote(fileName)}: tổng dung lượng các tệp của hồ sơ sẽ vượt {UploadChecks.FormatSize(limits.MaxDossierBytes)}.");
        }

        return result;
    }

    /// <summary>A file a dossier already has, as the limits count it.</summary>
    internal readonly record struct ExistingFile(int ComponentId, long Size);

    /// <summary>
    /// Checks one upload against the limits (name, size, type by content, files per component, dossier total given what it
    /// already has) and writes its bytes to the file store. Saves no row: the caller adds the returned file and, if its
    /// save fails, deletes the bytes. A seekable source (an upload ASP.NET Core already buffered) is read in place;
    /// any other is copied to a temporary file first, counting, so a declared length is never trusted.
    /// </summary>
    internal async Task<UploadResult> StoreAsync(
        Guid dossierId, int componentId, string componentName, IReadOnlyCollection<ExistingFile> existing, string fileName, Stream content, CancellationToken cancellationToken,
        DossierFileKind fileKind = DossierFileKind.Application)
    {
        var shown = UploadChecks.Quote(fileName);
        if (UploadChecks.HasPath(fileName))
        {
            return UploadResult.Refused($"Tên tệp {shown} chứa đường dẫn thư mục (ký tự / hoặc \\). Hãy đổi tên tệp rồi tải lên lại.");
        }

        if (existing.Count(f => f.ComponentId == componentId) >= limits.MaxFilesPerComponent)
        {
            return UploadResult.Refused($"Thành phần “{componentName}” đã có {limits.MaxFilesPerComponent} tệp, không thể thêm tệp {shown}.");
        }

        FileStream? temporary = null;
        try
        {
            Stream buffer;
            long size;
            string sha256;
            if (content.CanSeek)
            {
                buffer = content;
                buffer.Position = 0;
                (size, sha256) = await CopyCountingAsync(buffer, Stream.Null, limits.MaxFileBytes, cancellationToken);
            }
            else
            {
                temporary = new FileStream(
                    Path.Combine(Path.GetTempPath(), "dvc-upload-" + Guid.NewGuid().ToString("N")),
                    FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                buffer = temporary;
                (size, sha256) = await CopyCountingAsync(content, buffer, limits.MaxFileBytes, cancellationToken);
            }

            if (size == 0)
            {
                return UploadResult.Refused($"Tệp {shown} rỗng (0 byte). Hãy chọn đúng tệp rồi tải lên lại.");
            }

            if (size > limits.MaxFileBytes)
            {
                return UploadResult.Refused($"Tệp {shown} lớn hơn {UploadChecks.FormatSize(limits.MaxFileBytes)}, mức tối đa cho một tệp.");
            }

            var kind = UploadChecks.Detect(buffer);
            if (kind is null)
            {
                return UploadResult.Refused($"Tệp {shown} không phải PDF, JPEG, PNG hoặc DOCX. Cổng chỉ nhận các loại tệp này (kiểm tra theo nội dung tệp, không theo tên).");
            }

            if (existing.Sum(f => f.Size) + size > limits.MaxDossierBytes)
            {
                return UploadResult.Refused($"Không thể thêm tệp {shown}: tổng dung lượng các tệp của hồ sơ sẽ vượt {UploadChecks.FormatSize(limits.MaxDossierBytes)}.");
            }

            var id = Guid.NewGuid();
            var file = new DossierFile
            {
                Id = id,
                DossierId = dossierId,
                ComponentId = componentId,
                FileName = UploadChecks.CleanName(fileName, kind),
                StoragePath = $"dossiers/{dossierId:N}/{id:N}.{kind.Extension}",
                ContentType = kind.ContentType,
                Size = size,
                Sha256 = sha256,
                UploadedAt = time.GetUtcNow().UtcDateTime,
                Kind = fileKind,
            };
            buffer.Position = 0;
            await files.SaveAsync(file.StoragePath, buffer, cancellationToken);
            return new UploadResult(file, null);
        }
        finally
        {
            if (temporary is not null)
            {
                await temporary.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Attaches a still-valid document from the draft owner's personal data store. The bytes are copied into the
    /// dossier (not referenced) and go through the same checks as an upload, so a dossier keeps exactly what was
    /// filed whatever the user later deletes from the store, and a store file is never shared by two owners.
    /// </summary>
    public async Task<UploadResult> AttachFromStoreAsync(Dossier draft, int componentId, Guid personalDocumentId, CancellationToken cancellationToken)
    {
        // Another owner's document answers like a missing one: the store does not reveal what others keep.
        var document = await db.PersonalDocuments.AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == personalDocumentId && d.OwnerId == draft.OwnerId, cancellationToken);
        if (document is null)
        {
            return UploadResult.Refused("Không tìm thấy giấy tờ này trong kho dữ liệu của bạn.");
        }

        var today = VietnamTime.Today(time);
        if (!document.IsValidOn(today))
        {
            return UploadResult.Refused($"Giấy tờ {UploadChecks.Quote(document.FileName)} đã hết hiệu lực từ ngày {document.ValidUntil!.Value.AddDays(1).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}. Hãy tải lên bản mới.");
        }

        await using var content = files.OpenRead(document.StoragePath);
        if (content is null)
        {
            return UploadResult.Refused($"Không đọc được tệp {UploadChecks.Quote(document.FileName)} trong kho dữ liệu. Hãy tải lên tệp mới.");
        }

        return await AttachAsync(draft, componentId, document.FileName, content, cancellationToken);
    }

    /// <summary>Removes a draft's file: the row first, then the bytes (a failed delete leaves only a stray file the sweeper removes).</summary>
    public async Task<bool> RemoveAsync(Dossier draft, Guid fileId, CancellationToken cancellationToken)
    {
        if (!draft.TakesFiles)
        {
            return false;
        }

        // While a supplement is asked for, only the files added for it can go; what was filed stays.
        var onlySupplement = !draft.IsDraft;
        var file = await db.DossierFiles.FirstOrDefaultAsync(f => f.Id == fileId && f.DossierId == draft.Id && (!onlySupplement || f.Kind == DossierFileKind.Supplement), cancellationToken);
        if (file is null)
        {
            return false;
        }

        db.DossierFiles.Remove(file);
        if (db.Entry(draft).State != EntityState.Detached && draft.IsDraft)
        {
            draft.Touch(time.GetUtcNow().UtcDateTime);
        }

        await db.SaveChangesAsync(cancellationToken);
        await files.DeleteOrLeaveToSweeperAsync(file.StoragePath, logger);
        return true;
    }

    /// <summary>Copies at most <paramref name="limit"/> + 1 bytes, hashing as it goes; a declared length is never trusted.</summary>
    internal static async Task<(long Size, string Sha256)> CopyCountingAsync(Stream source, Stream target, long limit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[81920];
        long size = 0;
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            size += read;
            if (size > limit)
            {
                return (size, string.Empty);
            }

            hash.AppendData(chunk, 0, read);
            await target.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        await target.FlushAsync(cancellationToken);
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }


}
