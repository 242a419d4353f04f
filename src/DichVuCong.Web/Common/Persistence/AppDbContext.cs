using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using DichVuCong.Web.Modules.Processing;
using DichVuCong.Web.Modules.Reporting;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DichVuCong.Web.Common.Persistence;

/// <summary>The one DbContext of the portal, for SQLite and PostgreSQL alike; each module maps its own entities.</summary>
internal sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser, AppRole, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>Keys that protect sign-in cookies and form tokens, shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Agency> Agencies => Set<Agency>();

    public DbSet<Field> Fields => Set<Field>();

    public DbSet<Procedure> Procedures => Set<Procedure>();

    public DbSet<FormTemplate> FormTemplates => Set<FormTemplate>();

    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();

    public DbSet<VisitorDay> VisitorDays => Set<VisitorDay>();

    public DbSet<UserAgency> UserAgencies => Set<UserAgency>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<AppliedSeed> AppliedSeeds => Set<AppliedSeed>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<Dossier> Dossiers => Set<Dossier>();

    public DbSet<DossierFile> DossierFiles => Set<DossierFile>();

    public DbSet<PersonalDocument> PersonalDocuments => Set<PersonalDocument>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        builder.Entity<AppliedSeed>(e =>
        {
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(200);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is stored as UTC; SQLite hands DateTime back as Unspecified, so say so.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
