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
        var settings = options.Value;
        // Every start would otherwise re-read all seed files and ask the database about each item;
        // once a set of seed files has been applied, a restart with the same files skips it whole.
        var seedSet = "seed-set:" + SeedData.Fingerprint();
        bool pending, seeded;
        // A restart with nothing to migrate or seed is answered by three plain statements (PersistenceModule.OpenPlainConnection).
        await using (var connection = PersistenceModule.OpenPlainConnection(settings))
        {
            await connection.OpenAsync(cancellationToken);
            if (settings.Provider == DatabaseProvider.Sqlite)
            {
                // Write-ahead logging (kept in the database file once set): readers never wait for the writer, and a
                // commit appends to one log instead of writing and deleting a rollback journal. When a commit reaches
                // the disk is Database:SqliteSynchronous (SqlitePragmas).
                await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", null, cancellationToken);
            }

            pending = settings.MigrateOnStart && await HasPendingMigrationsAsync(connection, settings.Provider, cancellationToken);
            seeded = !settings.SeedDemoData || (!pending && await IsAppliedAsync(connection, seedSet, cancellationToken));
        }

        if (pending)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        LogMigrated(logger, settings.Provider);
        if (!seeded)
        {
            foreach (var seeder in seeders.OrderBy(s => s.Order))
            {
                await seeder.SeedAsync(db, cancellationToken);
                db.ChangeTracker.Clear();
            }

            if (!await db.AppliedSeeds.AnyAsync(s => s.Key == seedSet, cancellationToken))
            {
                db.AppliedSeeds.Add(new AppliedSeed { Key = seedSet, AppliedAt = time.GetUtcNow().UtcDateTime });
                await db.SaveChangesAsync(cancellationToken);
            }
        }
    }

    /// <summary>Compares the history table with the migrations compiled into the provider's migrations assembly.</summary>
    private static async Task<bool> HasPendingMigrationsAsync(DbConnection connection, DatabaseProvider provider, CancellationToken cancellationToken)
    {
        var known = System.Reflection.Assembly.Load(PersistenceModule.MigrationsAssemblyName(provider)).GetTypes()
            .Select(t => t.GetCustomAttributes(typeof(MigrationAttribute), false).OfType<MigrationAttribute>().FirstOrDefault()?.Id)
            .OfType<string>()
            .ToList();
        var applied = new HashSet<string>(StringComparer.Ordinal);
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

        return known.Any(id => !applied.Contains(id));
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, string key, CancellationToken cancellationToken)
    {
        try
        {
            var count = await ExecuteAsync(connection, "SELECT COUNT(*) FROM \"AppliedSeeds\" WHERE \"Key\" = @key", key, cancellationToken);
            return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        catch (DbException)
        {
            return false;
        }
    }

    private static async Task<object?> ExecuteAsync(DbConnection connection, string sql, string? key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (key is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@key";
            parameter.Value = key;
            command.Parameters.Add(parameter);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
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
