using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Modules.Dossiers.AttachFile;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DichVuCong.Tests.Modules.Dossiers;

/// <summary>The portal with <c>Storage:Provider=S3</c>, storing through a local S3-compatible sandbox.</summary>
public sealed class S3StoreTests
{
    private const string AccessKey = "DVCTESTACCESSKEY";

    private static PortalFactory Portal(S3Sandbox sandbox, string accessKey = AccessKey, string? bucket = "dvc-files") => new(
        DatabaseProvider.Sqlite,
        PortalFactory.NewSqliteConnectionString(),
        new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "S3",
            ["Storage:S3:ServiceUrl"] = sandbox.Url,
            ["Storage:S3:Bucket"] = bucket,
            ["Storage:S3:AccessKey"] = accessKey,
            ["Storage:S3:SecretKey"] = "dvc-test-secret-key",
            ["Storage:S3:Region"] = "ap-southeast-1",
        });

    [Fact]
    public async Task The_portal_stores_reads_lists_and_deletes_dossier_files_in_the_bucket()
    {
        await using var sandbox = new S3Sandbox("dvc-files", AccessKey);
        await using var portal = Portal(sandbox);
        var setup = await DraftSetup.CreateAsync(portal.Services);
        var bytes = SampleFiles.Docx();

        var result = await Scoped.WithDraftAsync(portal.Services, setup.DossierId, (sp, draft) =>
            sp.GetRequiredService<DossierUploads>().AttachAsync(draft, setup.ComponentIds[0], "Đơn đề nghị.docx", new MemoryStream(bytes), default));

        Assert.True(result.Succeeded, result.Error);
        Assert.IsType<S3FileStore>(portal.Services.GetRequiredService<IFileStore>());
        Assert.Equal(bytes, sandbox.Objects[result.File!.StoragePath].Bytes);
        Assert.Empty(Directory.EnumerateFiles(portal.StorageRoot, "*", SearchOption.AllDirectories));
        var store = portal.Services.GetRequiredService<IFileStore>();
        Assert.Equal(bytes, Scoped.ReadAll(store.OpenRead(result.File.StoragePath)));
        Assert.True(store.Exists(result.File.StoragePath));
        Assert.Null(store.OpenRead("dossiers/khong-co.pdf"));
        Assert.False(store.Exists("dossiers/khong-co.pdf"));

        // An orphan left a day ago in the bucket is swept; the attached file stays.
        var orphan = $"dossiers/{Guid.NewGuid():N}/{Guid.NewGuid():N}.pdf";
        sandbox.Objects[orphan] = (SampleFiles.Pdf(), DateTime.UtcNow.AddDays(-1));
        sandbox.Objects[result.File.StoragePath] = (bytes, DateTime.UtcNow.AddDays(-1));
        Assert.Equal(1, await portal.Services.GetRequiredService<OrphanFileSweeper>().SweepAsync(default));
        Assert.False(sandbox.Objects.ContainsKey(orphan));

        Assert.True(await Scoped.WithDraftAsync(portal.Services, setup.DossierId, (sp, draft) =>
            sp.GetRequiredService<DossierUploads>().RemoveAsync(draft, result.File.Id, default)));
        Assert.False(sandbox.Objects.ContainsKey(result.File.StoragePath));
        Assert.Equal(0, sandbox.Refused);

        // The catalog's form templates went to the bucket too when the portal seeded.
        Assert.Contains(sandbox.Objects.Keys, k => !k.StartsWith("dossiers/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_an_access_key_the_store_refuses_the_portal_does_not_start_and_says_why()
    {
        await using var sandbox = new S3Sandbox("dvc-files", "SOMEONEELSE");
        await using var portal = Portal(sandbox);

        // Seeding writes the catalog's form templates, so the first write already meets the refusal.
        var error = Assert.ThrowsAny<IOException>(() => portal.Services);

        Assert.Contains("403 SignatureDoesNotMatch to PUT templates/", error.Message, StringComparison.Ordinal);
        Assert.True(sandbox.Refused > 0);
        Assert.Empty(sandbox.Objects);
    }

    [Fact]
    public async Task S3_chosen_without_a_bucket_stops_the_portal_at_start()
    {
        await using var sandbox = new S3Sandbox("dvc-files", AccessKey);
        await using var portal = Portal(sandbox, bucket: null);

        var error = Assert.ThrowsAny<OptionsValidationException>(() => portal.Services);

        Assert.Contains("Storage:S3:Bucket is required.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signature_matches_the_example_in_the_AWS_Signature_Version_4_documentation()
    {
        // "GET Object" example of the Amazon S3 API reference (Authenticating requests: AWS Signature Version 4).
        var headers = new Dictionary<string, string>
        {
            ["host"] = "examplebucket.s3.amazonaws.com",
            ["range"] = "bytes=0-9",
            ["x-amz-content-sha256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ["x-amz-date"] = "20130524T000000Z",
        };

        var authorization = SigV4.Authorization(
            "GET", "/test.txt", string.Empty, headers, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            new DateTime(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc), "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            authorization);
    }
}
