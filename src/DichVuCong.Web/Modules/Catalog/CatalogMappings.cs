using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Catalog;

internal sealed class AgencyMapping : IEntityTypeConfiguration<Agency>
{
    public void Configure(EntityTypeBuilder<Agency> e)
    {
        e.ToTable("Agencies");
        e.HasIndex(x => x.Code).IsUnique();
        e.HasIndex(x => x.ParentId);
        e.Property(x => x.Code).HasMaxLength(20);
        e.Property(x => x.Name).HasMaxLength(300);
        e.Property(x => x.Address).HasMaxLength(300);
        e.Property(x => x.Phone).HasMaxLength(30);
        e.Property(x => x.Email).HasMaxLength(200);
        e.Property(x => x.Level).HasConversion<int>();
        e.HasOne(x => x.Parent).WithMany(x => x.Children).HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FieldMapping : IEntityTypeConfiguration<Field>
{
    public void Configure(EntityTypeBuilder<Field> e)
    {
        e.ToTable("Fields");
        e.HasIndex(x => x.Code).IsUnique();
        e.Property(x => x.Code).HasMaxLength(60);
        e.Property(x => x.Name).HasMaxLength(200);
    }
}

internal sealed class ProcedureMapping : IEntityTypeConfiguration<Procedure>
{
    public void Configure(EntityTypeBuilder<Procedure> e)
    {
        e.ToTable("Procedures");
        e.HasIndex(x => x.Code).IsUnique();
        e.HasIndex(x => x.FieldId);
        e.Property(x => x.Code).HasMaxLength(20);
        e.Property(x => x.Name).HasMaxLength(500);
        e.Property(x => x.Decision).HasMaxLength(100);
        e.Property(x => x.ImplementingBody).HasMaxLength(500);
        e.Property(x => x.OnlineLevel).HasConversion<int>();
        e.Property(x => x.SearchName).HasMaxLength(600);
        e.HasOne(x => x.Field).WithMany().HasForeignKey(x => x.FieldId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Channels).WithOne().HasForeignKey(x => x.ProcedureId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Components).WithOne().HasForeignKey(x => x.ProcedureId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Agencies).WithOne().HasForeignKey(x => x.ProcedureId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Fees).WithOne().HasForeignKey(x => x.ProcedureId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProcedureChannelMapping : IEntityTypeConfiguration<ProcedureChannel>
{
    public void Configure(EntityTypeBuilder<ProcedureChannel> e)
    {
        e.ToTable("ProcedureChannels");
        e.HasIndex(x => new { x.ProcedureId, x.Kind }).IsUnique();
        e.Property(x => x.Kind).HasConversion<int>();
        e.Property(x => x.TimeLimitUnit).HasConversion<int>();
        e.Property(x => x.TimeLimit).HasPrecision(9, 2);
        e.Property(x => x.TimeLimitText).HasMaxLength(300);
        e.Property(x => x.FeeText).HasMaxLength(500);
    }
}

internal sealed class DocumentComponentMapping : IEntityTypeConfiguration<DocumentComponent>
{
    public void Configure(EntityTypeBuilder<DocumentComponent> e)
    {
        e.ToTable("DocumentComponents");
        e.HasIndex(x => x.ProcedureId);
        e.Property(x => x.Name).HasMaxLength(1000);
        e.HasOne(x => x.Template).WithMany().HasForeignKey(x => x.TemplateId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class FormTemplateMapping : IEntityTypeConfiguration<FormTemplate>
{
    public void Configure(EntityTypeBuilder<FormTemplate> e)
    {
        e.ToTable("FormTemplates");
        e.HasIndex(x => x.Key).IsUnique();
        e.Property(x => x.Key).HasMaxLength(100);
        e.Property(x => x.Title).HasMaxLength(300);
        e.Property(x => x.FileName).HasMaxLength(200);
        e.Property(x => x.ContentType).HasMaxLength(100);
        e.Property(x => x.StoragePath).HasMaxLength(400);
    }
}

internal sealed class ProcedureAgencyMapping : IEntityTypeConfiguration<ProcedureAgency>
{
    public void Configure(EntityTypeBuilder<ProcedureAgency> e)
    {
        e.ToTable("ProcedureAgencies");
        e.HasKey(x => new { x.ProcedureId, x.AgencyId });
        e.HasIndex(x => x.AgencyId);
        e.HasOne(x => x.Agency).WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
    }
}
