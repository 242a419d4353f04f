using System.ComponentModel.DataAnnotations;
using DichVuCong.Web.Common.Persistence;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Common.Storage;

internal sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder of the local file store; relative paths resolve from where the portal starts.</summary>
    [Required]
    public string Root { get; set; } = "data/files";

    /// <summary>"Local" (the folder <see cref="Root"/>) or "S3" (an S3-compatible object store, <see cref="S3"/>).</summary>
    [Required]
    [RegularExpression("^(Local|S3)$", ErrorMessage = "Storage:Provider must be Local or S3.")]
    public string Provider { get; set; } = "Local";

    public S3StoreOptions S3 { get; set; } = new();
}

/// <summary>One stored file as listed by <see cref="IFileStore.ListAsync"/>.</summary>
internal sealed record StoredFile(string Path, DateTime LastModifiedUtc);

/// <summary>Where uploaded and generated files live. Paths are relative, with '/' separators.</summary>
internal interface IFileStore
{
    Task SaveAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens a file for reading, or null when it does not exist.</summary>
    Stream? OpenRead(string path);

    bool Exists(string path);

    /// <summary>Removes a file; removing a missing file is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Every file whose path starts with <paramref name="prefix"/> (e.g. "dossiers/").</summary>
    IAsyncEnumerable<StoredFile> ListAsync(string prefix, CancellationToken cancellationToken);
}

internal sealed class LocalFileStore : IFileStore
{
    private readonly string root;

    public LocalFileStore(IOptions<StorageOptions> options, IHostEnvironment environment)
    {
        root = Path.GetFullPath(options.Value.Root, DataRoot.Base(environment));
        Directory.CreateDirectory(root);
    }

    public async Task SaveAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var full = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // Write beside, then move: a reader never sees half a file, a crash leaves no torn file.
        var temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        File.Move(temp, full, overwrite: true);
    }

    public Stream? OpenRead(string path)
    {
        var full = Resolve(path);
        return File.Exists(full)
            ? new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true)
            : null;
    }

    public bool Exists(string path) => File.Exists(Resolve(path));

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(Resolve(path));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        // Only the folder the prefix names is walked ("dossiers/" → root/dossiers), not the whole store.
        var slash = prefix.LastIndexOf('/');
        var folder = slash < 0 ? root : Resolve(prefix[..slash]);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var full in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
            // A file still being written (beside its final name) is not listed.
            if (relative.StartsWith(prefix, StringComparison.Ordinal) && !relative.EndsWith(".tmp", StringComparison.Ordinal))
            {
                yield return new StoredFile(relative, File.GetLastWriteTimeUtc(full));
            }
        }
    }

    private string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("The path leaves the file store.", nameof(path));
        }

        return full;
    }
}

internal static class StorageModule
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, S3StoreOptionsValidation>();
        services.AddHttpClient(S3FileStore.HttpClientName);
        services.AddSingleton<IFileStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == "S3"
            ? ActivatorUtilities.CreateInstance<S3FileStore>(sp)
            : ActivatorUtilities.CreateInstance<LocalFileStore>(sp));
        return services;
    }
}

/// <summary>Removing bytes after their row is gone: a failure is logged and left to the orphan sweeper.</summary>
internal static partial class FileStoreCleanup
{
    public static async Task DeleteOrLeaveToSweeperAsync(this IFileStore files, string path, ILogger logger)
    {
        try
        {
            await files.DeleteAsync(path, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException)
        {
            LogDeleteFailed(logger, path, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete stored file {Path}; the orphan sweeper will remove it.")]
    private static partial void LogDeleteFailed(ILogger logger, string path, Exception exception);
}
