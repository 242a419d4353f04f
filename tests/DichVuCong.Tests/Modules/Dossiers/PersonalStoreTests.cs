using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Dossiers.AttachFile;
using DichVuCong.Web.Modules.Dossiers.PersonalStore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Dossiers;

public abstract class PersonalStoreTests(PortalFixture portal)
{
    /// <summary>A citizen's submitted dossier with one PDF, kept in their store valid until <paramref name="validUntil"/>.</summary>
    private async Task<(DraftSetup Setup, PersonalDocument Document, byte[] Bytes)> KeptDocumentAsync(DateOnly? validUntil)
    {
        var setup = await DraftSetup.CreateAsync(portal.Services);
        var bytes = SampleFiles.Pdf(300);
        var attached = await Scoped.WithDraftAsync(portal.Services, setup.DossierId, (sp, draft) =>
            sp.GetRequiredService<DossierUploads>().AttachAsync(draft, setup.ComponentIds[0], "Giấy khai sinh.pdf", new MemoryStream(bytes), default));
        Assert.True(attached.Succeeded, attached.Error);
        var kept = await Scoped.WithDraftAsync(portal.Services, setup.DossierId, async (sp, dossier) =>
        {
            dossier.Submit("TEST-" + Guid.NewGuid().ToString("N")[..10], null, DateTime.UtcNow);
            await sp.GetRequiredService<AppDbContext>().SaveChangesAsync();
            return await sp.GetRequiredService<PersonalDocuments>().KeepDossierFilesAsync(dossier, setup.ComponentIds.Zip(setup.ComponentNames).ToDictionary(c => c.First, c => c.Second), validUntil, default);
        });
        return (setup, Assert.Single(kept), bytes);
    }

    private async Task<T> UseAsync<T>(Func<PersonalDocuments, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PersonalDocuments>());
    }

    [Fact]
    public async Task A_submitted_dossiers_file_is_kept_once_listed_and_offered_for_the_same_component()
    {
        var (setup, document, bytes) = await KeptDocumentAsync(new DateOnly(2099, 12, 31));

        Assert.Equal(setup.ComponentNames[0], document.DocumentType);
        Assert.Equal("Giấy khai sinh.pdf", document.FileName);
        Assert.Equal(setup.DossierId, document.SourceDossierId);
        Assert.StartsWith($"personal/{setup.OwnerId:N}/", document.StoragePath, StringComparison.Ordinal);
        var listed = Assert.Single(await UseAsync(s => s.ListAsync(setup.OwnerId, default)));
        Assert.Equal(document.Id, listed.Id);
        Assert.Equal(document.Id, Assert.Single(await UseAsync(s => s.OffersAsync(setup.OwnerId, setup.ComponentNames[0], default))).Id);
        Assert.Empty(await UseAsync(s => s.OffersAsync(setup.OwnerId, setup.ComponentNames[1], default)));
        var opened = await UseAsync(s => s.OpenAsync(setup.OwnerId, document.Id, default));
        Assert.Equal(bytes, Scoped.ReadAll(opened?.Content));

        // Keeping the same dossier again adds nothing: the owner already keeps that file for that type.
        var again = await Scoped.WithDraftAsync(portal.Services, setup.DossierId, (sp, dossier) =>
            sp.GetRequiredService<PersonalDocuments>().KeepDossierFilesAsync(dossier, setup.ComponentIds.Zip(setup.ComponentNames).ToDictionary(c => c.First, c => c.Second), null, default));
        Assert.Empty(again);
    }

    [Fact]
    public async Task The_owner_attaches_a_kept_document_to_a_new_draft_as_a_copy_that_outlives_its_deletion_from_the_store()
    {
        var (setup, document, bytes) = await KeptDocumentAsync(null);
        var next = await DraftSetup.CreateAsync(portal.Services, setup.OwnerId);

        var result = await Scoped.WithDraftAsync(portal.Services, next.DossierId, (sp, draft) =>
            sp.GetRequiredService<DossierUploads>().AttachFromStoreAsync(draft, next.ComponentIds[0], document.Id, default));

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Giấy khai sinh.pdf", result.File!.FileName);
        Assert.Equal("application/pdf", result.File.ContentType);
        Assert.NotEqual(document.StoragePath, result.File.StoragePath);
        Assert.True(await UseAsync(s => s.DeleteAsync(setup.OwnerId, document.Id, default)));
        var store = portal.Services.GetRequiredService<IFileStore>();
        Assert.False(store.Exists(document.StoragePath));
        Assert.Empty(await UseAsync(s => s.ListAsync(setup.OwnerId, default)));
        Assert.Equal(bytes, Scoped.ReadAll(store.OpenRead(result.File.StoragePath)));
    }

    [Fact]
    public async Task Another_citizen_can_neither_attach_nor_open_nor_delete_someone_elses_document()
    {
        var (setup, document, _) = await KeptDocumentAsync(null);
        var stranger = await DraftSetup.CreateAsync(portal.Services);

        var result = await Scoped.WithDraftAsync(portal.Services, stranger.DossierId, (sp, draft) =>
            sp.GetRequiredService<DossierUploads>().AttachFromStoreAsync(draft, stranger.ComponentIds[0], document.Id, default));

        Assert.Equal("Không tìm thấy giấy tờ này trong kho dữ liệu của bạn.", result.Error);
        Assert.Null(await UseAsync(s => s.OpenAsync(stranger.OwnerId, document.Id, default)));
        Assert.False(await UseAsync(s => s.DeleteAsync(stranger.OwnerId, document.Id, default)));
        Assert.Single(await UseAsync(s => s.ListAsync(setup.OwnerId, default)));
        Assert.True(portal.Services.GetRequiredService<IFileStore>().Exists(document.StoragePath));
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<AppDbContext>().DossierFiles.AnyAsync(f => f.DossierId == stranger.DossierId));
    }

    [Fact]
    public async Task A_received_result_is_kept_with_its_type_validity_size_and_hash()
    {
        var owner = await DraftSetup.NewCitizenAsync(portal.Services);
        var bytes = SampleFiles.Pdf(500);

        var document = await UseAsync(s => s.AddAsync(owner, "Giấy chứng nhận đăng ký hộ kinh doanh", "Kết quả.pdf", "application/pdf", "pdf", new MemoryStream(bytes), new DateOnly(2030, 1, 1), null, default));

        var listed = Assert.Single(await UseAsync(s => s.ListAsync(owner, default)));
        Assert.Equal(document.Id, listed.Id);
        Assert.Equal(new DateOnly(2030, 1, 1), listed.ValidUntil);
        Assert.Equal(500, listed.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), listed.Sha256);
        Assert.EndsWith(".pdf", listed.StoragePath, StringComparison.Ordinal);
        Assert.Equal(document.Id, Assert.Single(await UseAsync(s => s.OffersAsync(owner, "giay chung nhan dang ky ho kinh doanh", default))).Id);
    }

    [Fact]
    public async Task An_expired_document_is_not_offered_and_cannot_be_attached()
    {
        var (setup, document, _) = await KeptDocumentAsync(new DateOnly(2020, 6, 30));
        var next = await DraftSetup.CreateAsync(portal.Services, setup.OwnerId);

        var result = await Scoped.WithDraftAsync(portal.Services, next.DossierId, (sp, draft) =>
            sp.GetRequiredService<DossierUploads>().AttachFromStoreAsync(draft, next.ComponentIds[0], document.Id, default));

        Assert.Equal("Giấy tờ “Giấy khai sinh.pdf” đã hết hiệu lực từ ngày 01/07/2020. Hãy tải lên bản mới.", result.Error);
        Assert.Empty(await UseAsync(s => s.OffersAsync(setup.OwnerId, setup.ComponentNames[0], default)));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class PersonalStoreTestsOnSqlite(SqlitePortal portal) : PersonalStoreTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class PersonalStoreTestsOnPostgreSql(PostgresPortal portal) : PersonalStoreTests(portal);
