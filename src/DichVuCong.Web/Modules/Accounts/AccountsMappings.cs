using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Accounts;

internal sealed class AppUserMapping : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> e)
    {
        e.Property(x => x.FullName).HasMaxLength(200);
        e.Property(x => x.Kind).HasConversion<int>();
        e.Property(x => x.CitizenId).HasMaxLength(12);
        e.HasIndex(x => x.CitizenId).IsUnique();
        e.HasIndex(x => x.PhoneNumber);
        e.Property(x => x.Sex).HasConversion<int?>();
        e.Property(x => x.Address).HasMaxLength(300);
        e.Property(x => x.TaxCode).HasMaxLength(14);
        e.Property(x => x.Representative).HasMaxLength(200);
        e.Ignore(x => x.ContactsVerified);
        // Written only by the one-time code check's conditional UPDATE, never by Identity saving a stale copy of the row.
        e.Property(x => x.LastTotpStep).Metadata.SetAfterSaveBehavior(PropertySaveBehavior.Ignore);
        e.HasMany(x => x.Agencies).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserAgencyMapping : IEntityTypeConfiguration<UserAgency>
{
    public void Configure(EntityTypeBuilder<UserAgency> e)
    {
        e.ToTable("UserAgencies");
        e.HasKey(x => new { x.UserId, x.AgencyId });
        e.HasIndex(x => x.AgencyId);
        // The agency lives in the Catalog module; only its key is shared.
        e.HasOne<Catalog.Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
    }
}
