using System.Runtime.Loader;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Common.Persistence;

internal static class PersistenceModule
{
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Configure(o => o.ConnectionString = ResolveConnectionString(configuration, o.Provider, environment))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddDbContextPool<AppDbContext>((sp, builder) =>
        {
            Configure(builder, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
            // Modules hook into saving (e.g. the outbox wakes its dispatcher) by registering an interceptor.
            builder.AddInterceptors(sp.GetServices<IInterceptor>());
        });
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddScoped<DatabaseInitializer>();
        return services;
    }

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        var migrations = MigrationsAssemblyName(options.Provider);
        ResolveMigrationsAssemblies();
        _ = options.Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(options.ConnectionString, o => o.MigrationsAssembly(migrations)).AddInterceptors(SqlitePragmas.For(options.SqliteSynchronous)),
            DatabaseProvider.PostgreSQL => builder.UseNpgsql(options.ConnectionString, o => o.MigrationsAssembly(migrations)),
            _ => throw new InvalidOperationException($"Unknown database provider {options.Provider}."),
        };
    }

    /// <summary>
    /// A connection of its own, outside EF, for what must not wait for the data model: the restart check, the key ring
    /// the host loads before it listens, and <c>/health</c>. Anything through the DbContext (even IsSqlite or
    /// GetDbConnection) first builds the whole model, about a second on a small server.
    /// </summary>
    internal static System.Data.Common.DbConnection OpenPlainConnection(DatabaseOptions settings) => settings.Provider == DatabaseProvider.PostgreSQL
        ? new Npgsql.NpgsqlConnection(settings.ConnectionString)
        : new SqliteConnection(settings.ConnectionString);

    public static string MigrationsAssemblyName(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.PostgreSQL => "DichVuCong.Migrations.PostgreSql",
        _ => "DichVuCong.Migrations.Sqlite",
    };

    /// <summary>
    /// Default SQLite file under ./data; a relative SQLite path is made absolute and its folder created.
    /// </summary>
    private static string ResolveConnectionString(IConfiguration configuration, DatabaseProvider provider, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString("Default");
        if (provider == DatabaseProvider.PostgreSQL)
        {
            // The same few queries run all day: let Npgsql prepare them unless the operator chose otherwise.
            var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(configured ?? string.Empty);
            if (!(configured ?? string.Empty).Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            {
                npgsql.MaxAutoPrepare = 50;
                npgsql.AutoPrepareMinUsages = 2;
            }

            return npgsql.ConnectionString;
        }

        var builder = new SqliteConnectionStringBuilder(configured ?? "Data Source=data/dichvucong.db");
        if (builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory && !Path.IsPathRooted(builder.DataSource))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, DataRoot.Base(environment));
        }

        if (builder.Mode != SqliteOpenMode.Memory && builder.DataSource != ":memory:")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        // Many readers with one writer, and wait rather than fail when another writer holds the lock.
        builder.DefaultTimeout = builder.DefaultTimeout < 30 ? 30 : builder.DefaultTimeout;
        builder.Pooling = true;
        return builder.ToString();
    }

    /// <summary>
    /// The migrations assemblies are built beside the portal rather than referenced by it (they
    /// reference it), so the host's dependency list does not name them: resolve them from the
    /// application folder when EF Core asks for them by name.
    /// </summary>
    private static void ResolveMigrationsAssemblies()
    {
        if (Interlocked.Exchange(ref resolverInstalled, 1) == 1)
        {
            return;
        }

        AssemblyLoadContext.Default.Resolving += (context, assemblyName) =>
        {
            if (assemblyName.Name?.StartsWith("DichVuCong.Migrations.", StringComparison.Ordinal) != true)
            {
                return null;
            }

            var path = Path.Combine(AppContext.BaseDirectory, assemblyName.Name + ".dll");
            return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
    }

    private static int resolverInstalled;
}

/// <summary>
/// <c>/health</c>: the database answers <c>SELECT 1</c> on a plain connection from the pool. Probes come every few
/// seconds; going through the DbContext would cost several times as much per probe and, right after start, wait
/// for the whole data model to be built.
/// </summary>
internal sealed class DatabaseHealthCheck(IOptions<DatabaseOptions> options) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = PersistenceModule.OpenPlainConnection(options.Value);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
        }
        catch (System.Data.Common.DbException ex)
        {
            return new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult(context.Registration.FailureStatus, "The database does not answer.", ex);
        }
    }
}

/// <summary>
/// Settings SQLite keeps per connection: wait up to 30 s for another writer's lock instead of failing at once with
/// "database is locked" (one portal has several writers: requests, the outbox, the visitor counter), and when a commit
/// reaches the disk (<see cref="SqliteSynchronous"/>). The write-ahead log itself is switched on once, at start, by
/// <see cref="DatabaseInitializer"/>. Applied once per physical connection: the pool hands the same SQLite handle out again and again, and the settings
/// stay on it, so running them at every open (several times per request) would only cost statements.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private static readonly SqlitePragmas Normal = new("PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;");
    private static readonly SqlitePragmas Full = new("PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL;");

    private readonly string sql;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> applied = [];

    private SqlitePragmas(string sql) => this.sql = sql;

    public static SqlitePragmas For(SqliteSynchronous synchronous) => synchronous == SqliteSynchronous.Full ? Full : Normal;

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(System.Data.Common.DbConnection connection)
    {
        var handle = (object?)(connection as SqliteConnection)?.Handle ?? connection;
        if (applied.TryGetValue(handle, out _))
        {
            return;
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        applied.AddOrUpdate(handle, handle);
    }
}

/// <summary>
/// Where relative paths such as <c>data/</c> resolve: the repository root when the portal runs from
/// source (`dotnet run` starts it in the project folder), else the application's content root.
/// </summary>
internal static class DataRoot
{
    public static string Base(IHostEnvironment environment)
    {
        for (var dir = new DirectoryInfo(environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DichVuCong.slnx")))
            {
                return dir.FullName;
            }
        }

        return environment.ContentRootPath;
    }
}
