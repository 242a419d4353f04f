using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>
/// The real portal (the whole pipeline, real database, real file store in a temp folder) for tests.
/// </summary>
internal sealed class PortalFactory(DatabaseProvider provider, string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string DemoPassword = "Demo-Password-2026";

    /// <summary>Base32 authenticator secret of the demo officers and administrator in tests.</summary>
    public const string DemoTotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    /// <summary>The merchant code and hash secret of the sandbox VNPay gateway the test portal serves.</summary>
    public const string VnPayTmnCode = "DVCTEST1";
    public const string VnPayHashSecret = "test-vnpay-hash-secret-0123456789";

    public string StorageRoot { get; } = Directory.CreateTempSubdirectory("dichvucong-files-").FullName;

    public DatabaseProvider Provider => provider;

    public string ConnectionString => connectionString;

    /// <summary>Test wiring applied after the portal's own services, e.g. a handler reaching the in-memory server.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", provider.ToString());
        builder.UseSetting("ConnectionStrings:Default", connectionString);
        builder.UseSetting("Storage:Root", StorageRoot);
        builder.UseSetting("Seed:DemoPassword", settings?.GetValueOrDefault("Seed:DemoPassword") ?? DemoPassword);
        builder.UseSetting("Seed:DemoTotpSecret", DemoTotpSecret);
        // Every test request comes from one address; the rate-limit test sets its own limit.
        foreach (var limit in new[] { "RateLimits:SignInPerMinute", "RateLimits:RegisterPerMinute", "RateLimits:OtpPerMinute" })
        {
            builder.UseSetting(limit, settings?.GetValueOrDefault(limit) ?? "10000");
        }
        // Online payment through the portal's own sandbox gateway (Modules/Payments/Sandbox).
        builder.UseSetting("Payments:VnPay:TmnCode", VnPayTmnCode);
        builder.UseSetting("Payments:VnPay:HashSecret", VnPayHashSecret);
        builder.UseSetting("Payments:VnPay:BaseUrl", "/sandbox/vnpay/paymentv2/vpcpay.html");
        builder.UseSetting("Payments:VnPay:QueryUrl", "/sandbox/vnpay/merchant_webapi/api/transaction");
        builder.UseSetting("Payments:VnPay:Sandbox:Enabled", "true");
        // The gateway's calls (IPN, QueryDR) reach the in-memory server; on Kestrel (browser tests) they go over the network.
        builder.ConfigureServices(s => s.AddHttpClient("vnpay").ConfigurePrimaryHttpMessageHandler(sp =>
            sp.GetRequiredService<IServer>() is TestServer server ? server.CreateHandler() : new SocketsHttpHandler()));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is not null)
        {
            builder.ConfigureTestServices(TestServices);
        }
    }

    public static string NewSqliteConnectionString() =>
        $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("dichvucong-db-").FullName, "portal.db")}";

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(StorageRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing request; the temp folder is cleaned by the OS.
        }
    }
}
