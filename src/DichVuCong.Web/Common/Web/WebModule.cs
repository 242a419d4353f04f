using System.Globalization;
using System.IO.Compression;
using Microsoft.AspNetCore.Localization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.WebEncoders;

namespace DichVuCong.Web.Common.Web;

/// <summary>What every request shares: Razor Pages, errors as ProblemDetails, vi-VN culture, headers, OpenAPI.</summary>
internal static class WebModule
{
    /// <summary>Future pages named in the navigation; each answers "đang được xây dựng" until its issue lands.</summary>
    public static readonly (string Route, string Title)[] ComingSoon =
    [
        ("/phan-anh-kien-nghi", "Phản ánh, kiến nghị"),
        ("/thong-ke", "Thống kê"),
    ];

    /// <summary>
    /// Public pages that are the same for every anonymous visitor (home, catalog, procedure) are kept
    /// rendered for a few seconds: the busiest pages cost a memory copy, not a render. The price is a
    /// footer visitor count up to that many seconds old. Signed-in requests are never cached.
    /// </summary>
    public const string PublicPageCache = "public-page";

    /// <summary>Tag of every cached public page; evicted when the data they show changes.</summary>
    public const string PublicPageTag = "public-page";

    public static readonly TimeSpan PublicPageLifetime = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortalOptions>()
            .Bind(configuration.GetSection(PortalOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        // Vietnamese letters go out as UTF-8, not as "&#x1EA1;" entities: pages half the size, rendered faster.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            // Pages live with their use case under Modules/; each declares its own address.
            o.RootDirectory = "/";
            foreach (var (route, _) in ComingSoon)
            {
                o.Conventions.AddPageRoute("/Pages/ComingSoon", route.TrimStart('/'));
            }
        });
        services.AddOutputCache(o =>
        {
            o.SizeLimit = 64 * 1024 * 1024;
            o.AddPolicy(PublicPageCache, b => b.Expire(PublicPageLifetime).SetVaryByQuery("*").Tag(PublicPageTag));
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "DichVuCong API";
            document.Info.Description = "API công khai của Cổng Dịch vụ công: danh mục thủ tục hành chính, cơ quan, lĩnh vực.";
            return Task.CompletedTask;
        }));
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        var vietnamese = new CultureInfo("vi-VN");
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(vietnamese),
            SupportedCultures = [vietnamese],
            SupportedUICultures = [vietnamese],
        });
        // API callers get ProblemDetails; people get a page in Vietnamese.
        app.UseWhen(c => c.IsApiRequest(), api => api.UseExceptionHandler().UseStatusCodePages());
        app.UseWhen(c => !c.IsApiRequest(), pages => pages.UseExceptionHandler("/loi").UseStatusCodePagesWithReExecute("/loi", "?code={0}"));
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
            await next(context);
        });
        app.UseResponseCompression();
        return app;
    }

    /// <summary>True when the caller is a program (API, OpenAPI) rather than a person's browser.</summary>
    public static bool IsApiRequest(this HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi") || context.Request.Path.StartsWithSegments("/health");
}
