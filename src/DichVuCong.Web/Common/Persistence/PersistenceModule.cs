using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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

        services.AddDbContextPool<AppDbContext>((sp, builder) => Configure(builder, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value));
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
        services.AddScoped<DatabaseInitializer>();
        return services;
    }

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        var migrations = MigrationsAssemblyName(options.Provider);
        LoadMigrationsAssembly(migrations);
        _ = options.Provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite(options.ConnectionString, o => o.MigrationsAssembly(migrations)),
            DatabaseProvider.PostgreSQL => builder.UseNpgsql(options.ConnectionString, o => o.MigrationsAssembly(migrations)),
            _ => throw new InvalidOperationException($"Unknown database provider {options.Provider}."),
        };
    }

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
        if (provider != DatabaseProvider.Sqlite)
        {
            return configured ?? string.Empty;
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
    /// reference it); load the one in use from the application folder if the host did not list it.
    /// </summary>
    private static void LoadMigrationsAssembly(string name)
    {
        if (AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == name))
        {
            return;
        }

        try
        {
            Assembly.Load(new AssemblyName(name));
        }
        catch (FileNotFoundException)
        {
            var path = Path.Combine(AppContext.BaseDirectory, name + ".dll");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"The migrations assembly {name}.dll was not found beside the application. Build the solution or the web project again.");
            }

            AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
    }
}

/// <summary>Where relative paths under ./data resolve: the directory the portal was started from.</summary>
internal static class DataRoot
{
    public static string Base(IHostEnvironment environment) =>
        Environment.GetEnvironmentVariable("DICHVUCONG_DATA_BASE") is { Length: > 0 } overridden
            ? overridden
            : Directory.GetCurrentDirectory() is var cwd && cwd.Length > 0 ? cwd : environment.ContentRootPath;
}
