using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog.DownloadTemplate;
using DichVuCong.Web.Modules.Catalog.ListAgencies;
using DichVuCong.Web.Modules.Catalog.ListFields;
using DichVuCong.Web.Modules.Catalog.SearchProcedures;
using DichVuCong.Web.Modules.Catalog.ViewProcedure;

namespace DichVuCong.Web.Modules.Catalog;

/// <summary>Agencies, fields, procedures, templates and search: dịch vụ công mức 1–2.</summary>
internal static class CatalogModule
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        // Bounded: at most this many cached read models (one per procedure page) at a time.
        services.AddMemoryCache(o => o.SizeLimit = 20_000);
        services.AddSingleton<CatalogIndex>();
        services.AddScoped<SearchProceduresHandler>();
        services.AddScoped<ViewProcedureHandler>();
        services.AddScoped<ISeeder, CatalogSeeder>();
        services.AddHostedService<CatalogWarmup>();
        return services;
    }

    public static void MapCatalog(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        api.MapListAgencies();
        api.MapListFields();
        api.MapSearchProcedures();
        api.MapViewProcedure();
        app.MapDownloadTemplate();
    }
}

/// <summary>
/// Loads the catalog snapshot right after start-up, in the background, so the first visitor does not
/// pay for building the data model and compiling the catalog queries.
/// </summary>
internal sealed partial class CatalogWarmup(CatalogIndex index, TimeProvider time, ILogger<CatalogWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // After the portal has started serving, not in its way.
            await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            await index.GetAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing lost: the first request loads it instead.
            LogWarmupFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the catalog at start; the first request will.")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
