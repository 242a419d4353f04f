using DichVuCong.Web.Common.Persistence;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>One running portal per database provider, shared by the test classes of that provider.</summary>
public abstract class PortalFixture : IAsyncLifetime
{
    private PortalFactory? factory;
    private string? unavailable;

    internal PortalFactory Factory => factory ?? throw new InvalidOperationException("The portal did not start.");

    internal abstract DatabaseProvider Provider { get; }

    /// <summary>A client of the portal; skips (or fails under CI) when the database is not available here.</summary>
    public HttpClient CreateClient()
    {
        if (unavailable is not null)
        {
            Requirements.SkipOrFail(unavailable);
        }

        return Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public IServiceProvider Services
    {
        get
        {
            if (unavailable is not null)
            {
                Requirements.SkipOrFail(unavailable);
            }

            return Factory.Services;
        }
    }

    public async ValueTask InitializeAsync()
    {
        var connectionString = await ConnectionStringAsync();
        if (connectionString is null)
        {
            unavailable = UnavailableReason;
            return;
        }

        factory = CreateFactory(connectionString);
        // Start it now so the seeding cost is paid once, not inside the first test.
        _ = factory.Services;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected virtual string? UnavailableReason => null;

    /// <summary>The portal under test; a fixture needing its own settings or services overrides this.</summary>
    internal virtual PortalFactory CreateFactory(string connectionString) => new(Provider, connectionString);

    protected abstract Task<string?> ConnectionStringAsync();
}

public class SqlitePortal : PortalFixture
{
    internal override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override Task<string?> ConnectionStringAsync() => Task.FromResult<string?>(PortalFactory.NewSqliteConnectionString());
}

public class PostgresPortal : PortalFixture
{
    private PostgresServer? server;

    internal override DatabaseProvider Provider => DatabaseProvider.PostgreSQL;

    protected override string? UnavailableReason => PostgresServer.MissingReason;

    protected override async Task<string?> ConnectionStringAsync()
    {
        server = await PostgresServer.StartAsync();
        return server is null ? null : await server.CreateDatabaseAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqlitePortal>
{
    public const string Name = "SQLite";
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresPortal>
{
    public const string Name = "PostgreSQL";
}
