using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Processing;

internal sealed class CalendarDayMapping : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> e)
    {
        e.ToTable("CalendarDays");
        e.HasKey(x => x.Date);
        e.Property(x => x.Name).HasMaxLength(300);
        e.Property(x => x.Basis).HasMaxLength(300);
    }
}

internal sealed class WorkingPeriodMapping : IEntityTypeConfiguration<WorkingPeriod>
{
    public void Configure(EntityTypeBuilder<WorkingPeriod> e)
    {
        e.ToTable("WorkingPeriods");
        e.HasKey(x => x.Id);
        e.Property(x => x.Day).HasConversion<int>();
        e.HasOne<Catalog.Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.AgencyId, x.Day, x.Opens }).IsUnique();
    }
}
