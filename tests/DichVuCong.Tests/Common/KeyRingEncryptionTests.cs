using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Web.Common.Persistence;
using Microsoft.Data.Sqlite;

namespace DichVuCong.Tests.Common;

/// <summary>
/// With <c>DataProtection:CertificatePath</c> set, the key ring that signs cookies and tokens is stored encrypted: a copy
/// of the database no longer holds a usable key. Its own fresh SQLite database, so the shared fixtures' key rings stay
/// as they are (the rows are plain SQL, the same on PostgreSQL).
/// </summary>
public sealed class KeyRingEncryptionTests
{
    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_sign_in_still_works()
    {
        var folder = Directory.CreateTempSubdirectory("dichvucong-cert-").FullName;
        var pfx = Path.Combine(folder, "keyring.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=DichVuCong key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "mat-khau-chung-thu"), TestContext.Current.CancellationToken);
        }

        var connectionString = PortalFactory.NewSqliteConnectionString();
        await using var portal = new PortalFactory(DatabaseProvider.Sqlite, connectionString, new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = pfx,
            ["DataProtection:CertificatePassword"] = "mat-khau-chung-thu",
        });

        // A citizen signs in (the cookie is protected with the new key) and the next page knows them.
        using var client = await BackOffice.SignedInAsync(portal, "demo.congdan");
        using var mine = await client.GetAsync(new Uri("/ho-so-cua-toi", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Xml\" FROM \"DataProtectionKeys\"";
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                rows.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(rows);
        Assert.All(rows, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_certificate_path_that_does_not_exist_stops_the_portal_at_start()
    {
        await using var portal = new PortalFactory(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = "/khong/co/tep.pfx",
        });

        var error = Assert.Throws<InvalidOperationException>(() => portal.Services);
        Assert.Contains("DataProtection:CertificatePath", error.Message, StringComparison.Ordinal);
    }
}
