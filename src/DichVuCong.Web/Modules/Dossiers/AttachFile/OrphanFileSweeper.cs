using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Dossiers.AttachFile;

/// <summary>
/// Removes stored files under dossiers/ and personal/ that no row points at and that are older than
/// <see cref="UploadOptions.OrphanAfter"/>: what is left when the process stops between writing a file and
/// saving its row, or when deleting a file after its row failed. Younger files may be writes in progress.
/// Safe with several instances: each only deletes files no row names.
/// </summary>
internal sealed partial class OrphanFileSweeper(
    IServiceScopeFactory scopes, IFileStore files, IOptions<UploadOptions> options, TimeProvider time, ILogger<OrphanFileSweeper> logger) : PeriodicJob(time, logger)
{
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = Time.GetUtcNow().UtcDateTime - options.Value.OrphanAfter;
        var removed = 0;
        foreach (var prefix in new[] { "dossiers/", "personal/" })
        {
            var old = new List<string>();
            await foreach (var file in files.ListAsync(prefix, cancellationToken))
            {
                if (file.LastModifiedUtc < cutoff)
                {
                    old.Add(file.Path);
                }
            }

            foreach (var batch in old.Chunk(500))
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var known = prefix == "dossiers/"
                    ? await db.DossierFiles.Where(f => batch.Contains(f.StoragePath)).Select(f => f.StoragePath).ToListAsync(cancellationToken)
                    : await db.PersonalDocuments.Where(d => batch.Contains(d.StoragePath)).Select(d => d.StoragePath).ToListAsync(cancellationToken);
                foreach (var path in batch.Except(known, StringComparer.Ordinal))
                {
                    await files.DeleteAsync(path, cancellationToken);
                    removed++;
                }
            }
        }

        return removed;
    }

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task<string?> RunPassAsync(CancellationToken cancellationToken) =>
        await SweepAsync(cancellationToken) is > 0 and var removed ? $"removed {removed} stored files that no dossier or personal document refers to." : null;
}
