using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Reporting;

internal sealed class VisitorDayMapping : IEntityTypeConfiguration<VisitorDay>
{
    public void Configure(EntityTypeBuilder<VisitorDay> e)
    {
        e.ToTable("VisitorDays");
        e.HasKey(x => x.Date);
    }
}
