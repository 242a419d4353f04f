using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DichVuCong.Tests.Modules.Notifications;

/// <summary>
/// A dispatcher of the test's own over the portal's database, as another portal instance would run: its own
/// options (transports, SMS providers), its own clock. Messages due only on that clock (set in the future) are
/// left alone by the portal's own dispatcher, so a test decides when each attempt happens.
/// </summary>
internal static class Dispatchers
{
    public static OutboxDispatcher Over(PortalFixture portal, NotificationsOptions settings, TimeProvider time, SmsProviderHealth? health = null)
    {
        var services = portal.Factory.Services;
        var options = Options.Create(settings);
        var selector = new TransportSelector(options, new SmtpTransport(options), services.GetRequiredService<IHttpClientFactory>(), health ?? new SmsProviderHealth(options, time));
        var scopes = new ScopeFactoryWithTransports(services.GetRequiredService<IServiceScopeFactory>(), selector);
        return new OutboxDispatcher(scopes, new OutboxSignal(), options, time, NullLogger<OutboxDispatcher>.Instance);
    }

    /// <summary>Hands out the portal's scopes, but with the test's transports.</summary>
    private sealed class ScopeFactoryWithTransports(IServiceScopeFactory inner, TransportSelector selector) : IServiceScopeFactory
    {
        public IServiceScope CreateScope() => new Scope(inner.CreateScope(), selector);

        private sealed class Scope(IServiceScope inner, TransportSelector selector) : IServiceScope, IServiceProvider
        {
            public IServiceProvider ServiceProvider => this;

            public object? GetService(Type serviceType) =>
                serviceType == typeof(TransportSelector) ? selector : inner.ServiceProvider.GetService(serviceType);

            public void Dispose() => inner.Dispose();
        }
    }
}
