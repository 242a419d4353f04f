using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DichVuCong.Migrations.Sqlite;

/// <summary>Lets `dotnet ef migrations add` build the model for Sqlite without starting the portal.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceModule.Configure(builder, new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=design-time.db" });
        return new AppDbContext(builder.Options);
    }
}
