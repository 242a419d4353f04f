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
    TimeProvider time,
    ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (options.Value.MigrateOnStart)
        {
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(logger, options.Value.Provider);
        }

        // Every start would otherwise re-read all seed files and ask the database about each item;
        // once a set of seed files has been applied, a restart with the same files skips it whole.
        var seedSet = "seed-set:" + SeedData.Fingerprint();
        if (options.Value.SeedDemoData && !await db.AppliedSeeds.AnyAsync(s => s.Key == seedSet, cancellationToken))
        {
            foreach (var seeder in seeders.OrderBy(s => s.Order))
            {
                await seeder.SeedAsync(db, cancellationToken);
                db.ChangeTracker.Clear();
            }

            db.AppliedSeeds.Add(new AppliedSeed { Key = seedSet, AppliedAt = time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken);
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
