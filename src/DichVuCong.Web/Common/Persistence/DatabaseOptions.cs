using System.ComponentModel.DataAnnotations;

namespace DichVuCong.Web.Common.Persistence;

internal enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>When an embedded SQLite commit reaches the disk (SQLite's <c>PRAGMA synchronous</c>, in WAL mode).</summary>
internal enum SqliteSynchronous
{
    /// <summary>
    /// The log is flushed at checkpoints, not at each commit: a crash of the portal loses nothing and never leaves half a
    /// change, but a power cut or an operating-system crash may undo the last moments of commits. Fast; fine for a small
    /// site. Sites that cannot accept that use PostgreSQL, or <see cref="Full"/>.
    /// </summary>
    Normal,

    /// <summary>Every commit waits until it is on the disk (one flush per commit; commits queue behind each other's flush).</summary>
    Full,
}

internal sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations and seed the demo data at start.</summary>
    public bool MigrateOnStart { get; set; } = true;

    public bool SeedDemoData { get; set; } = true;

    /// <summary>Embedded SQLite only: see <see cref="Persistence.SqliteSynchronous"/>.</summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    [Required]
    public string ConnectionString { get; set; } = string.Empty;
}
