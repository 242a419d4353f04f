using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging (kept in the database file once set): readers never wait for the writer, and a commit
            // appends to one log instead of writing and deleting a rollback journal. When a commit reaches the disk is
            // Database:SqliteSynchronous (SqlitePragmas).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }

        if (options.Value.MigrateOnStart && await HasPendingMigrationsAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        LogMigrated(logger, options.Value.Provider);

        // Every start would otherwise re-read all seed files and ask the database about each item;
        // once a set of seed files has been applied, a restart with the same files skips it whole.
        var seedSet = "seed-set:" + SeedData.Fingerprint();
        if (options.Value.SeedDemoData && !await IsAppliedAsync(seedSet, cancellationToken))
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

    /// <summary>
    /// Compares the history table with the migrations assembly in plain SQL. EF Core's own check
    /// builds the whole data model first (half a second) and migrating takes a database lock; a
    /// restart with nothing to apply needs neither.
    /// </summary>
    private async Task<bool> HasPendingMigrationsAsync(CancellationToken cancellationToken)
    {
        var known = db.GetService<IMigrationsAssembly>().Migrations.Keys;
        var applied = new HashSet<string>(StringComparer.Ordinal);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\"";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (DbException)
        {
            return true; // no history table yet: a new database
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return known.Any(id => !applied.Contains(id));
    }

    /// <summary>
    /// Plain SQL, the same on both providers: a first LINQ query costs a quarter of a second to compile,
    /// and every restart would pay it before serving anything.
    /// </summary>
    private async Task<bool> IsAppliedAsync(string key, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM \"AppliedSeeds\" WHERE \"Key\" = @key";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@key";
            parameter.Value = key;
            command.Parameters.Add(parameter);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
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
