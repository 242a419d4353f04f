using System.Security.Cryptography;
using DichVuCong.Web.Modules.Accounts.NationalIdentity.Sandbox;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace DichVuCong.Web.Modules.Accounts.NationalIdentity;

/// <summary>
/// Sign-in through the national identity provider (VNeID-style OpenID Connect). Enabled when
/// <c>NationalIdentity:Authority</c> is set, or when <c>NationalIdentity:Sandbox:Enabled</c> turns on the
/// built-in test provider.
/// </summary>
internal sealed class NationalIdentityOptions
{
    public const string SectionName = "NationalIdentity";

    /// <summary>The authentication scheme, also the login provider stored with each linked account.</summary>
    public const string Scheme = "vneid";

    /// <summary>Where the provider sends the browser back with the code: register this address with the provider.</summary>
    public const string CallbackPath = "/dang-nhap/vneid/callback";

    /// <summary>The provider's issuer URL (its discovery document is under /.well-known/openid-configuration).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The provider's name on the sign-in button.</summary>
    public string DisplayName { get; set; } = "VNeID";

    /// <summary>
    /// The id_token claim carrying the 12-digit CCCD (số định danh cá nhân). Other claims read are the
    /// standard ones: sub, name, birthdate, gender, phone_number, phone_number_verified.
    /// </summary>
    public string CitizenIdClaim { get; set; } = "citizen_id";

    public SandboxOptions Sandbox { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || Sandbox.Enabled;
}

internal sealed class SandboxOptions
{
    /// <summary>Serves a test identity provider at <see cref="SandboxIdentityProvider.Path"/>; for development and tests only.</summary>
    public bool Enabled { get; set; }
}

internal static class NationalIdentityModule
{
    public static IServiceCollection AddNationalIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NationalIdentityOptions.SectionName);
        services.AddOptions<NationalIdentityOptions>()
            .Bind(section)
            .PostConfigure(o =>
            {
                if (o.Sandbox.Enabled)
                {
                    // The sandbox and the client are one process: a secret made up at start serves both and is never written down.
                    o.ClientId = string.IsNullOrWhiteSpace(o.ClientId) ? "dichvucong" : o.ClientId;
                    o.ClientSecret = string.IsNullOrWhiteSpace(o.ClientSecret) ? Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) : o.ClientSecret;
                }
            })
            .Validate(o => !o.Enabled || string.IsNullOrWhiteSpace(o.Authority) || IsUrl(o.Authority, o.Sandbox.Enabled), "NationalIdentity:Authority must be an absolute https:// URL (http:// only with the sandbox).")
            .Validate(o => !o.Enabled || (!string.IsNullOrWhiteSpace(o.ClientId) && !string.IsNullOrWhiteSpace(o.ClientSecret)), "NationalIdentity:ClientId and NationalIdentity:ClientSecret are required when NationalIdentity:Authority is set.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.DisplayName) && !string.IsNullOrWhiteSpace(o.CitizenIdClaim), "NationalIdentity:DisplayName and NationalIdentity:CitizenIdClaim must not be empty.")
            .ValidateOnStart();

        var settings = section.Get<NationalIdentityOptions>() ?? new NationalIdentityOptions();
        services.Configure<RazorPagesOptions>(o =>
        {
            // Pages of a feature that is off are not mapped at all: their addresses answer 404.
            if (!settings.Enabled)
            {
                o.Conventions.AddPageRouteModelConvention("/Modules/Accounts/NationalIdentity/NationalIdentityPage", m => m.Selectors.Clear());
            }

            if (!settings.Sandbox.Enabled)
            {
                o.Conventions.AddPageRouteModelConvention("/Modules/Accounts/NationalIdentity/Sandbox/AuthorizePage", m => m.Selectors.Clear());
            }
        });
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(NationalIdentityOptions.Scheme, settings.DisplayName, _ => { });
        services.AddOptions<OpenIdConnectOptions>(NationalIdentityOptions.Scheme).Configure<IOptions<NationalIdentityOptions>, IServer>(ConfigureClient);
        if (settings.Sandbox.Enabled)
        {
            services.AddSingleton<SandboxIdentityProvider>();
        }

        return services;
    }

    public static void MapNationalIdentity(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<NationalIdentityOptions>>().Value.Sandbox.Enabled)
        {
            app.MapSandboxIdentityProvider();
        }
    }

    private static void ConfigureClient(OpenIdConnectOptions o, IOptions<NationalIdentityOptions> options, IServer server)
    {
        var settings = options.Value;
        o.Authority = string.IsNullOrWhiteSpace(settings.Authority) ? OwnAddress(server) + SandboxIdentityProvider.Path : settings.Authority;
        o.RequireHttpsMetadata = !settings.Sandbox.Enabled;
        o.ClientId = settings.ClientId;
        o.ClientSecret = settings.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;
        // The code comes back in the address of a top-level GET: the correlation cookie can stay SameSite=Lax,
        // and no auto-posting page with script is needed.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("profile");
        o.Scope.Add("phone");
        o.CallbackPath = NationalIdentityOptions.CallbackPath;
        o.SignInScheme = IdentityConstants.ExternalScheme;
        o.AccessDeniedPath = "/dang-nhap";
        o.MapInboundClaims = false;
        o.TokenValidationParameters.NameClaimType = "name";
        o.DisableTelemetry = true;
        foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        }

        o.Events.OnRemoteFailure = async context =>
        {
            // A failed or forged answer (bad state, bad token) ends on our page with a plain message, not an error page.
            var audit = context.HttpContext.RequestServices.GetRequiredService<AuditLog>();
            await audit.RecordAsync(AuditKind.SignInFailed, null, settings.DisplayName + ": không hoàn tất");
            context.Response.Redirect("/dang-nhap/vneid?loi=1");
            context.HandleResponse();
        };
    }

    /// <summary>
    /// The sign-in form posts to the portal, which answers with a redirect to the provider; a browser checks
    /// that redirect against the page's CSP form-action, so the provider's origin is allowed on that page.
    /// </summary>
    public static void AllowFormRedirectToProvider(HttpResponse response, NationalIdentityOptions options)
    {
        if (Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
        {
            var policy = response.Headers.ContentSecurityPolicy.ToString();
            response.Headers.ContentSecurityPolicy = policy.Replace("form-action 'self'", "form-action 'self' " + authority.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
        }
    }

    /// <summary>The address the portal listens on, as a browser reaches it (a wildcard host read as localhost).</summary>
    private static string OwnAddress(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .OrderByDescending(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault()
            ?? throw new InvalidOperationException("Set NationalIdentity:Authority: the portal's own address is not known here.");
        foreach (var wildcard in new[] { "://+", "://*", "://[::]", "://0.0.0.0" })
        {
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        }

        return new Uri(address).GetLeftPart(UriPartial.Authority);
    }

    private static bool IsUrl(string value, bool allowHttp) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (allowHttp && uri.Scheme == Uri.UriSchemeHttp));
}
