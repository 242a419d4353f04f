using System.Security.Cryptography;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Dossiers.AttachFile;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Dossiers;

public abstract class UploadTests(PortalFixture portal)
{
    private static Task<UploadResult> AttachAsync(IServiceProvider services, DraftSetup setup, int componentId, string name, byte[] bytes) =>
        Scoped.WithDraftAsync(services, setup.DossierId, (sp, draft) =>
            sp.GetRequiredService<DossierUploads>().AttachAsync(draft, componentId, name, new MemoryStream(bytes), default));

    private static string DossierFolder(PortalFactory factory, Guid dossierId) => Path.Combine(factory.StorageRoot, "dossiers", dossierId.ToString("N"));

    private static async Task<List<DossierFile>> RowsAsync(IServiceProvider services, Guid dossierId)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().DossierFiles.Where(f => f.DossierId == dossierId).ToListAsync();
    }

    public static TheoryData<string, string, string> Kinds() => new()
    {
        { "pdf", "Tờ khai.pdf", "application/pdf" },
        { "png", "Ảnh chân dung.png", "image/png" },
        { "jpeg", "Ảnh CCCD.JPG", "image/jpeg" },
        { "docx", "Đơn đề nghị.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    };

    private static byte[] Sample(string kind) => kind switch
    {
        "pdf" => SampleFiles.Pdf(),
        "png" => SampleFiles.Png(),
        "jpeg" => SampleFiles.Jpeg(),
        _ => SampleFiles.Docx(),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_real_file_of_each_kind_is_kept_with_its_type_and_the_same_bytes_come_back(string kind, string name, string contentType)
    {
        var setup = await DraftSetup.CreateAsync(portal.Services);
        var bytes = Sample(kind);

        var result = await AttachAsync(portal.Services, setup, setup.ComponentIds[0], name, bytes);

        Assert.True(result.Succeeded, result.Error);
        var row = Assert.Single(await RowsAsync(portal.Services, setup.DossierId));
        Assert.Equal(contentType, row.ContentType);
        // The extension is written in lower case.
        Assert.Equal(Path.ChangeExtension(name, Path.GetExtension(name).ToLowerInvariant()), row.FileName);
        Assert.Equal(bytes.Length, row.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), row.Sha256);
        Assert.StartsWith($"dossiers/{setup.DossierId:N}/", row.StoragePath, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetFileNameWithoutExtension(name), row.StoragePath, StringComparison.Ordinal);
        Assert.Equal(bytes, Scoped.ReadAll(portal.Services.GetRequiredService<IFileStore>().OpenRead(row.StoragePath)));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(portal.Factory.StorageRoot, row.StoragePath)));
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "exe", "setup.pdf", "Tệp “setup.pdf” không phải PDF, JPEG, PNG hoặc DOCX" },
        { "zip", "hop-dong.docx", "Tệp “hop-dong.docx” không phải PDF, JPEG, PNG hoặc DOCX" },
        { "empty", "trong.pdf", "Tệp “trong.pdf” rỗng" },
        { "pdf", "../../etc/passwd.pdf", "Tên tệp “../../etc/passwd.pdf” chứa đường dẫn thư mục" },
        { "pdf", "C:\\x\\..\\y.pdf", "Tên tệp “C:\\x\\..\\y.pdf” chứa đường dẫn thư mục" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task An_executable_a_plain_zip_an_empty_file_and_a_name_with_a_path_are_refused_with_a_message_naming_the_file(string kind, string name, string message)
    {
        var setup = await DraftSetup.CreateAsync(portal.Services);
        var bytes = kind switch
        {
            "exe" => SampleFiles.Exe(),
            "zip" => SampleFiles.Zip(),
            "empty" => [],
            _ => SampleFiles.Pdf(),
        };

        var result = await AttachAsync(portal.Services, setup, setup.ComponentIds[0], name, bytes);

        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(await RowsAsync(portal.Services, setup.DossierId));
        Assert.False(Directory.Exists(DossierFolder(portal.Factory, setup.DossierId)) && Directory.EnumerateFiles(DossierFolder(portal.Factory, setup.DossierId)).Any());
        Assert.Empty(Directory.EnumerateFiles(portal.Factory.StorageRoot, "passwd*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_component_of_another_procedure_is_refused()
    {
        var setup = await DraftSetup.CreateAsync(portal.Services);

        var result = await AttachAsync(portal.Services, setup, setup.OtherProcedureComponentId, "to-khai.pdf", SampleFiles.Pdf());

        Assert.Equal("Thành phần hồ sơ này không thuộc thủ tục của hồ sơ.", result.Error);
        Assert.Empty(await RowsAsync(portal.Services, setup.DossierId));
    }

    [Fact]
    public async Task A_file_named_for_another_type_or_with_odd_characters_is_shown_under_a_clean_name_of_its_real_type()
    {
        var setup = await DraftSetup.CreateAsync(portal.Services);

        var png = await AttachAsync(portal.Services, setup, setup.ComponentIds[0], "anh.pdf", SampleFiles.Png());
        var odd = await AttachAsync(portal.Services, setup, setup.ComponentIds[0], "Giấy\u0007 khai   sinh của bé.PDF", SampleFiles.Pdf());
        var nameless = await AttachAsync(portal.Services, setup, setup.ComponentIds[0], " .pdf", SampleFiles.Pdf());
        var longName = await AttachAsync(portal.Services, setup, setup.ComponentIds[0], new string('ệ', 400) + ".pdf", SampleFiles.Pdf());

        Assert.Equal("anh.pdf.png", png.File?.FileName);
        Assert.Equal("image/png", png.File?.ContentType);
        Assert.Equal("Giấy khai sinh của bé.pdf", odd.File?.FileName);
        Assert.Equal("tep-dinh-kem.pdf", nameless.File?.FileName);
        Assert.Equal(UploadChecks.MaxNameLength, longName.File?.FileName.Length);
        Assert.EndsWith("ệ.pdf", longName.File?.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_file_loses_its_row_and_its_bytes()
    {
        var setup = await DraftSetup.CreateAsync(portal.Services);
        var kept = await AttachAsync(portal.Services, setup, setup.ComponentIds[0], "a.pdf", SampleFiles.Pdf());
        var removed = await AttachAsync(portal.Services, setup, setup.ComponentIds[1], "b.png", SampleFiles.Png());

        Assert.True(await Scoped.WithDraftAsync(portal.Services, setup.DossierId, (sp, draft) => sp.GetRequiredService<DossierUploads>().RemoveAsync(draft, removed.File!.Id, default)));

        Assert.Equal(kept.File!.Id, Assert.Single(await RowsAsync(portal.Services, setup.DossierId)).Id);
        Assert.False(File.Exists(Path.Combine(portal.Factory.StorageRoot, removed.File!.StoragePath)));
        Assert.True(File.Exists(Path.Combine(portal.Factory.StorageRoot, kept.File.StoragePath)));
    }

    [Fact]
    public async Task The_sweeper_removes_an_old_file_no_row_points_at_and_keeps_attached_and_young_files()
    {
        var setup = await DraftSetup.CreateAsync(portal.Services);
        var attached = await AttachAsync(portal.Services, setup, setup.ComponentIds[0], "a.pdf", SampleFiles.Pdf());
        var store = portal.Services.GetRequiredService<IFileStore>();
        var orphan = $"dossiers/{Guid.NewGuid():N}/{Guid.NewGuid():N}.pdf";
        var young = $"dossiers/{setup.DossierId:N}/{Guid.NewGuid():N}.pdf";
        await store.SaveAsync(orphan, new MemoryStream(SampleFiles.Pdf()), default);
        await store.SaveAsync(young, new MemoryStream(SampleFiles.Pdf()), default);
        // As if the process had stopped between the two writes a day ago.
        File.SetLastWriteTimeUtc(Path.Combine(portal.Factory.StorageRoot, orphan), DateTime.UtcNow.AddDays(-1));
        File.SetLastWriteTimeUtc(Path.Combine(portal.Factory.StorageRoot, attached.File!.StoragePath), DateTime.UtcNow.AddDays(-1));

        var removed = await portal.Services.GetRequiredService<OrphanFileSweeper>().SweepAsync(default);

        Assert.True(removed >= 1);
        Assert.False(store.Exists(orphan));
        Assert.True(store.Exists(attached.File.StoragePath));
        Assert.True(store.Exists(young));
        await store.DeleteAsync(young, default);
    }

    [Fact]
    public async Task On_a_portal_with_small_limits_one_byte_over_the_file_limit_the_dossier_total_and_the_file_count_are_refused()
    {
        await using var strict = new PortalFactory(portal.Factory.Provider, portal.Factory.ConnectionString, new Dictionary<string, string?>
        {
            ["Dossiers:Uploads:MaxFileBytes"] = "1024",
            ["Dossiers:Uploads:MaxDossierBytes"] = "2500",
            ["Dossiers:Uploads:MaxFilesPerComponent"] = "2",
        });
        var setup = await DraftSetup.CreateAsync(strict.Services);

        var over = await AttachAsync(strict.Services, setup, setup.ComponentIds[0], "lon.pdf", SampleFiles.Pdf(1025));
        var atLimit = await AttachAsync(strict.Services, setup, setup.ComponentIds[0], "vua.pdf", SampleFiles.Pdf(1024));
        var second = await AttachAsync(strict.Services, setup, setup.ComponentIds[0], "hai.pdf", SampleFiles.Pdf(1000));
        var third = await AttachAsync(strict.Services, setup, setup.ComponentIds[0], "ba.pdf", SampleFiles.Pdf());
        var overTotal = await AttachAsync(strict.Services, setup, setup.ComponentIds[1], "tong.pdf", SampleFiles.Pdf(1000));
        var fits = await AttachAsync(strict.Services, setup, setup.ComponentIds[1], "nho.pdf", SampleFiles.Pdf(400));

        Assert.Equal("Tệp “lon.pdf” lớn hơn 1 KB, mức tối đa cho một tệp.", over.Error);
        Assert.True(atLimit.Succeeded, atLimit.Error);
        Assert.True(second.Succeeded, second.Error);
        Assert.StartsWith("Thành phần “", third.Error, StringComparison.Ordinal);
        Assert.Contains("đã có 2 tệp, không thể thêm tệp “ba.pdf”", third.Error, StringComparison.Ordinal);
        Assert.Contains("tổng dung lượng các tệp của hồ sơ sẽ vượt 2,4 KB", overTotal.Error, StringComparison.Ordinal);
        Assert.True(fits.Succeeded, fits.Error);
        Assert.Equal(3, (await RowsAsync(strict.Services, setup.DossierId)).Count);
        Assert.Equal(3, Directory.EnumerateFiles(DossierFolder(strict, setup.DossierId)).Count());
    }

    [Fact]
    public async Task Uploads_at_the_same_moment_never_take_a_dossier_over_its_total()
    {
        await using var strict = new PortalFactory(portal.Factory.Provider, portal.Factory.ConnectionString, new Dictionary<string, string?>
        {
            ["Dossiers:Uploads:MaxFileBytes"] = "1024",
            ["Dossiers:Uploads:MaxDossierBytes"] = "2500",
            ["Dossiers:Uploads:MaxFilesPerComponent"] = "10",
        });
        var setup = await DraftSetup.CreateAsync(strict.Services);

        // Eight 1,000-byte files at once where only two fit: each one alone would have seen room.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => AttachAsync(strict.Services, setup, setup.ComponentIds[0], $"tep-{i}.pdf", SampleFiles.Pdf(1000)))));

        var rows = await RowsAsync(strict.Services, setup.DossierId);
        Assert.True(rows.Sum(r => r.Size) <= 2500, $"{rows.Count} files, {rows.Sum(r => r.Size)} bytes");
        Assert.Equal(rows.Count, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains("tổng dung lượng các tệp của hồ sơ sẽ vượt 2,4 KB", r.Error, StringComparison.Ordinal));
        Assert.Equal(rows.Count, Directory.EnumerateFiles(DossierFolder(strict, setup.DossierId)).Count());
    }

    [Fact]
    public async Task When_saving_the_row_fails_after_the_file_was_written_no_file_is_left_behind()
    {
        await using var failing = new PortalFactory(portal.Factory.Provider, portal.Factory.ConnectionString)
        {
            TestServices = services => services.AddSingleton<IInterceptor, FailDossierFileSave>(),
        };
        var setup = await DraftSetup.CreateAsync(failing.Services);

        await Assert.ThrowsAsync<DbUpdateException>(() => AttachAsync(failing.Services, setup, setup.ComponentIds[0], "a.pdf", SampleFiles.Pdf()));

        Assert.Empty(await RowsAsync(failing.Services, setup.DossierId));
        Assert.True(FailDossierFileSave.Failures > 0);
        Assert.Empty(Directory.Exists(DossierFolder(failing, setup.DossierId)) ? Directory.EnumerateFiles(DossierFolder(failing, setup.DossierId)) : []);
    }

    /// <summary>Test wiring: the database refuses any new dossier file, as if it failed at that moment.</summary>
    private sealed class FailDossierFileSave : SaveChangesInterceptor
    {
        public static int Failures;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context!.ChangeTracker.Entries<DossierFile>().Any(e => e.State == EntityState.Added))
            {
                Interlocked.Increment(ref Failures);
                throw new DbUpdateException("Simulated database failure.");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class UploadTestsOnSqlite(SqlitePortal portal) : UploadTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class UploadTestsOnPostgreSql(PostgresPortal portal) : UploadTests(portal);
