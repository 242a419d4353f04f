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
