using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

/// <summary>The portal on a real Kestrel port on 127.0.0.1, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The secret the SMS gateway sends in X-Api-Key when it forwards a lookup text to the shared portal.</summary>
    public const string SmsInboundSecret = "browser-tests-sms-gateway-secret";

    private PortalFactory? portal;
    private IPlaywright? playwright;
    private string? unavailable;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The running portal's services, to read what it sent (the codes a person would receive).</summary>
    public IServiceProvider Services => portal?.Services ?? throw new InvalidOperationException("The portal did not start.");

    /// <summary>Where screenshots go: the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public void RequireBrowser()
    {
        if (unavailable is not null)
        {
            Requirements.SkipOrFail(unavailable);
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            unavailable = $"Chromium not found at {ChromiumPath}; install Debian's 'chromium' package.";
            return;
        }

        (portal, BaseAddress) = StartPortal(new Dictionary<string, string?> { ["Sms:InboundSecret"] = SmsInboundSecret });

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }

    /// <summary>A portal on a free Kestrel port on 127.0.0.1, with the given settings.</summary>
    internal static (PortalFactory Portal, Uri BaseAddress) StartPortal(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var portal = new PortalFactory(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString(), settings);
        portal.UseKestrel(0);
        portal.StartServer();
        var address = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (portal, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (portal is not null)
        {
            await portal.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
