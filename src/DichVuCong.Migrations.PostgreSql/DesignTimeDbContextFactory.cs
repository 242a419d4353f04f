using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DichVuCong.Migrations.PostgreSql;

/// <summary>Lets `dotnet ef migrations add` build the model for PostgreSQL without starting the portal.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceModule.Configure(builder, new DatabaseOptions { Provider = DatabaseProvider.PostgreSQL, ConnectionString = "Host=localhost;Database=dichvucong;Username=postgres" });
        return new AppDbContext(builder.Options);
    }
}
