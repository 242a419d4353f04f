using System.ComponentModel.DataAnnotations;

namespace DichVuCong.Web.Common.Persistence;

internal enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

internal sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations and seed the demo data at start.</summary>
    public bool MigrateOnStart { get; set; } = true;

    public bool SeedDemoData { get; set; } = true;

    [Required]
    public string ConnectionString { get; set; } = string.Empty;
}
