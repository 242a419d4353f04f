using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Common.Persistence;

/// <summary>Demo data of one module, applied at start in <see cref="Order"/>; must be idempotent.</summary>
internal interface ISeeder
{
    int Order { get; }

    Task SeedAsync(AppDbContext db, CancellationToken cancellationToken);
}

/// <summary>Applies migrations and the modules' seeders when the portal starts.</summary>
internal sealed partial class DatabaseInitializer(
    AppDbContext db,
    IEnumerable<ISeeder> seeders,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.MigrateOnStart)
        {
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(logger, options.Value.Provider);
        }

        if (options.Value.SeedDemoData)
        {
            foreach (var seeder in seeders.OrderBy(s => s.Order))
            {
                await seeder.SeedAsync(db, cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ({Provider}) is up to date.")]
    private static partial void LogMigrated(ILogger logger, DatabaseProvider provider);
}

internal static class SeedMarks
{
    /// <summary>Keys of the seed items already applied whose key starts with <paramref name="prefix"/>.</summary>
    public static async Task<HashSet<string>> AppliedAsync(this AppDbContext db, string prefix, CancellationToken ct) =>
        (await db.AppliedSeeds.Where(s => s.Key.StartsWith(prefix)).Select(s => s.Key).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

    public static void MarkApplied(this AppDbContext db, string key, DateTime now) =>
        db.AppliedSeeds.Add(new AppliedSeed { Key = key, AppliedAt = now });
}
