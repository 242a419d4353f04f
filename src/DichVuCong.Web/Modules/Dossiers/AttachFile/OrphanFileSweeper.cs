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
    IServiceScopeFactory scopes, IFileStore files, IOptions<UploadOptions> options, TimeProvider time, ILogger<OrphanFileSweeper> logger) : BackgroundService
{
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.OrphanAfter;
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                if (removed > 0)
                {
                    LogSwept(logger, removed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }

            await Task.Delay(options.Value.SweepInterval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} stored files that no dossier or personal document refers to.")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping orphan files failed; retrying at the next interval.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
