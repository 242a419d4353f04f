using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>
/// A file kept in a user's personal data store (kho dữ liệu cá nhân): a copy of a submitted dossier's file
/// or of a received result, offered again for later dossiers. Its bytes are its own copy in the file store,
/// so deleting it never touches a dossier, and a dossier never loses a file the user deletes here.
/// </summary>
internal sealed class PersonalDocument
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public Guid OwnerId { get; init; }

    /// <summary>What the document is: the document component's name (e.g. "Bản sao giấy khai sinh").</summary>
    public required string DocumentType { get; init; }

    /// <summary>The name shown to people; never used to store the file.</summary>
    public required string FileName { get; init; }

    /// <summary>Where the file store keeps the bytes (<c>personal/{owner}/{id}.{ext}</c>).</summary>
    public required string StoragePath { get; init; }

    public required string ContentType { get; init; }

    public long Size { get; init; }

    /// <summary>Hex SHA-256 of the bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Last day (Vietnam time) the document may be used; null when it does not expire.</summary>
    public DateOnly? ValidUntil { get; set; }

    /// <summary>The dossier it came from, if any; kept as a plain value so deleting a dossier keeps the document.</summary>
    public Guid? SourceDossierId { get; init; }

    public DateTime CreatedAt { get; init; }

    public bool IsValidOn(DateOnly day) => ValidUntil is null || ValidUntil >= day;
}

/// <summary>The personal data store as other modules see it: a result handed back online becomes the applicant's document.</summary>
internal interface IPersonalStore
{
    /// <summary>Keeps a copy of each result file of the dossier in its owner's store (type "Kết quả", no end date); saves on its own.</summary>
    Task<List<PersonalDocument>> KeepResultsAsync(Dossier dossier, CancellationToken cancellationToken);
}

internal sealed class PersonalDocumentMapping : IEntityTypeConfiguration<PersonalDocument>
{
    public void Configure(EntityTypeBuilder<PersonalDocument> e)
    {
        e.ToTable("PersonalDocuments");
        e.HasIndex(x => new { x.OwnerId, x.DocumentType });
        e.Property(x => x.DocumentType).HasMaxLength(500);
        e.Property(x => x.FileName).HasMaxLength(255);
        e.Property(x => x.StoragePath).HasMaxLength(300);
        e.Property(x => x.ContentType).HasMaxLength(100);
        e.Property(x => x.Sha256).HasMaxLength(64);
        e.HasOne<Accounts.AppUser>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
