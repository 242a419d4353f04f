using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Common.Persistence;

/// <summary>
/// A random secret the portal made for itself, kept in the database so every instance serving it uses the same one
/// (e.g. the key of the lookup's identity-number hashes when none is configured).
/// </summary>
internal sealed class PortalSecret
{
    public required string Name { get; init; }

    public required string Value { get; init; }

    /// <summary>The secret named <paramref name="name"/>, made (32 random bytes) by whichever instance asks first.</summary>
    public static async Task<byte[]> GetOrCreateAsync(AppDbContext db, string name, CancellationToken cancellationToken)
    {
        var stored = await db.Set<PortalSecret>().AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).FirstOrDefaultAsync(cancellationToken);
        if (stored is null)
        {
            db.Add(new PortalSecret { Name = name, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance made it at the same moment: use theirs.
                db.ChangeTracker.Clear();
            }

            stored = await db.Set<PortalSecret>().AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).SingleAsync(cancellationToken);
        }

        return Convert.FromBase64String(stored);
    }
}

internal sealed class PortalSecretMapping : IEntityTypeConfiguration<PortalSecret>
{
    public void Configure(EntityTypeBuilder<PortalSecret> e)
    {
        e.ToTable("PortalSecrets");
        e.HasKey(x => x.Name);
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Value).HasMaxLength(200);
    }
}
