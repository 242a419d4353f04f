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
