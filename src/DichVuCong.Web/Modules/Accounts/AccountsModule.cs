using System.Threading.RateLimiting;
using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using DichVuCong.Web.Modules.Accounts.IssueToken;
using DichVuCong.Web.Modules.Accounts.NationalIdentity;
using DichVuCong.Web.Modules.Accounts.ManageOfficers;
using DichVuCong.Web.Modules.Accounts.SignIn;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Accounts;

internal sealed class SeedOptions
{
    public const string SectionName = "Seed";

    /// <summary>Password of the demo accounts; when empty, one is generated at first start and printed once.</summary>
    public string? DemoPassword { get; set; }

    /// <summary>Base32 authenticator secret of the demo officers and admin; generated and printed once when empty.</summary>
    public string? DemoTotpSecret { get; set; }
}

internal sealed class AccountLimitsOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>Registrations and password-reset requests allowed per client address per minute.</summary>
    public int RegisterPerMinute { get; set; } = 5;

    /// <summary>One-time code checks and resends allowed per client address per minute.</summary>
    public int OtpPerMinute { get; set; } = 10;

    /// <summary>Public dossier lookups (page and API, reads included) allowed per client address per minute.</summary>
    public int LookupPerMinute { get; set; } = 30;
}

/// <summary>Names of the authorization policies every module uses.</summary>
internal static class Policies
{
    /// <summary>Officers of an agency (reception, specialist, leader, agency admin), signed in with two factors.</summary>
    public const string Officer = "officer";

    /// <summary>System administrators, signed in with two factors.</summary>
    public const string SystemAdmin = "system-admin";

    /// <summary>Agency or system administrators, signed in with two factors; which officers they manage is <see cref="AgencyOperations.ManageOfficers"/>.</summary>
    public const string AgencyAdmin = "agency-admin";

    public const string SignInRateLimit = "sign-in";

    public const string RegisterRateLimit = "register";

    /// <summary>The public lookup by dossier code: every request counts, reads included (codes follow a pattern).</summary>
    public const string LookupRateLimit = "lookup";

    public const string OtpRateLimit = "otp";
}

/// <summary>Identity, sign-in, roles and their policies.</summary>
internal static class AccountsModule
{
    /// <summary>
    /// The certificate that encrypts the key ring at rest (<c>DataProtection:CertificatePath</c>, a PFX file, and
    /// <c>DataProtection:CertificatePassword</c>): with it, the <c>DataProtectionKeys</c> rows, and so a copy of the
    /// database or a backup, no longer let their reader forge sign-in cookies and tokens. Unset, the keys are stored as
    /// they are (development, demo). A wrong path or password stops the portal at start, not at the first sign-in.
    /// </summary>
    private static System.Security.Cryptography.X509Certificates.X509Certificate2? KeyRingCertificate(IConfiguration configuration)
    {
        var path = configuration["DataProtection:CertificatePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"DataProtection:CertificatePath: no file at {path}.");
        }

        var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, configuration["DataProtection:CertificatePassword"]);
        return certificate.HasPrivateKey ? certificate : throw new InvalidOperationException($"DataProtection:CertificatePath: {path} holds no private key; the key ring could be encrypted but never read back.");
    }

    /// <summary>Right after <c>UseAuthentication</c>: bearer tokens of an account whose security stamp changed stop working.</summary>
    public static IApplicationBuilder UseTokenRevocation(this IApplicationBuilder app) => app.Use(IssueToken.TokenRevocation.CheckAsync);

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SeedOptions>().Bind(configuration.GetSection(SeedOptions.SectionName));
        services.AddOptions<AccountLimitsOptions>().Bind(configuration.GetSection(AccountLimitsOptions.SectionName));
        var keyRing = services.AddDataProtection().SetApplicationName("DichVuCong");
        if (KeyRingCertificate(configuration) is { } certificate)
        {
            keyRing.ProtectKeysWithCertificate(certificate);
        }

        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>((o, database) => o.XmlRepository = new DataProtectionKeyTable(database.Value));
        // API calls that carry "Authorization: Bearer" are read as bearer tokens, everything else by the cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "dvc";
                o.DefaultChallengeScheme = "dvc";
            })
            .AddPolicyScheme("dvc", "Cookie hoặc bearer", o => o.ForwardDefaultSelector = c =>
                c.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = IssueTokenEndpoint.Lifetime)
            .AddIdentityCookies();
        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = false;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddClaimsPrincipalFactory<AppClaimsFactory>()
            .AddErrorDescriber<VietnameseIdentityErrors>();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/dang-nhap";
            o.LogoutPath = "/dang-xuat";
            o.AccessDeniedPath = "/khong-co-quyen";
            o.Cookie.Name = "dvc.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the portal is reached over HTTPS, as it is in production behind TLS.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // Identity's events are kept (a new events object would drop its security-stamp check, and with it
            // "sign out everywhere"); only the redirects are ours.
            // API callers get a status code, not a redirect to a sign-in page.
            o.Events.OnRedirectToLogin = c => Answer(c, StatusCodes.Status401Unauthorized);
            // An officer or administrator without the second factor is sent to enrol, not to a dead end.
            o.Events.OnRedirectToAccessDenied = c => Answer(c, StatusCodes.Status403Forbidden, TwoFactorRules.EnrolmentInsteadOfDenied(c.HttpContext));
        });
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = TwoFactorRules.KeepSecondFactor;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Officer, p => p.RequireAuthenticatedUser()
                .RequireRole(Roles.Reception, Roles.Specialist, Roles.Leader, Roles.AgencyAdmin)
                .RequireClaim("amr", "mfa"))
            .AddPolicy(Policies.SystemAdmin, p => p.RequireAuthenticatedUser()
                .RequireRole(Roles.SystemAdmin)
                .RequireClaim("amr", "mfa"))
            .AddPolicy(Policies.AgencyAdmin, p => p.RequireAuthenticatedUser()
                .RequireRole(Roles.AgencyAdmin, Roles.SystemAdmin)
                .RequireClaim("amr", "mfa"));
        services.AddSingleton<IAuthorizationHandler, AgencyScopeHandler>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policies.SignInRateLimit, context => PerAddress(context, l => l.SignInPerMinute));
            o.AddPolicy(Policies.RegisterRateLimit, context => PerAddress(context, l => l.RegisterPerMinute));
            o.AddPolicy(Policies.OtpRateLimit, context => PerAddress(context, l => l.OtpPerMinute));
            o.AddPolicy(Policies.LookupRateLimit, context => PerAddress(context, l => l.LookupPerMinute, countReads: true));
            o.OnRejected = async (context, token) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Bạn đã thử quá nhiều lần. Vui lòng đợi một phút rồi thử lại.", token);
            };
        });
        services.AddHttpContextAccessor();
        services.AddScoped<AuditLog>();
        services.AddSingleton<IssueToken.TokenRevocation>();
        services.AddOptions<ReviewAudit.AuditRetentionOptions>().Bind(configuration.GetSection(ReviewAudit.AuditRetentionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<ReviewAudit.AuditRetention>();
        services.AddScoped<Verification.OneTimeCodes>();
        services.AddScoped<OfficerAdministration>();
        services.AddScoped<ISeeder, DemoAccountsSeeder>();
        services.AddNationalIdentity(configuration);
        return services;
    }

    public static void MapAccounts(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        app.MapSignOut();
        api.MapIssueToken();
        app.MapNationalIdentity();
    }

    /// <summary>A fixed window per client address for posts (reading a form is not limited unless <paramref name="countReads"/>).</summary>
    private static RateLimitPartition<string> PerAddress(HttpContext context, Func<AccountLimitsOptions, int> limit, bool countReads = false)
    {
        if (!countReads && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            return RateLimitPartition.GetNoLimiter("read");
        }

        var permits = limit(context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccountLimitsOptions>>().Value);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "local";
        return RateLimitPartition.GetFixedWindowLimiter(
            context.GetEndpoint()?.DisplayName + "|" + address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status, string? redirectInstead = null)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(redirectInstead ?? context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    /// <summary>True for an officer or administrator whose session lacks the second factor (typically not enrolled yet).</summary>
    public static bool LacksSecondFactor(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && TwoFactorRules.IsRequiredFor(user) && !TwoFactorRules.SignedInWithTwoFactors(user);
}

/// <summary>What a citizen or organisation may do yet, read from the sign-in cookie.</summary>
internal static class AccountStatus
{
    public const string UnverifiedClaim = "contacts_unverified";

    public const string UnverifiedMessage =
        "Tài khoản của bạn chưa xác minh email và số điện thoại nên chưa thể nộp hồ sơ trực tuyến: kết quả và thông báo về hồ sơ được gửi đến đó.";

    /// <summary>False for a citizen or organisation whose e-mail or phone is not verified yet; they are told why by <see cref="UnverifiedMessage"/>.</summary>
    public static bool MaySubmit(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && !user.HasClaim(AccountStatus.UnverifiedClaim, "true");
}

/// <summary>Adds the person's full name (for the header) and agencies (for <see cref="AgencyScope"/>) to the sign-in cookie.</summary>
internal sealed class AppClaimsFactory(UserManager<AppUser> users, RoleManager<AppRole> roles, Microsoft.Extensions.Options.IOptions<IdentityOptions> options, AppDbContext db)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<System.Security.Claims.ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new System.Security.Claims.Claim("full_name", user.FullName));
        if (user.Kind is AccountKind.Citizen or AccountKind.Organisation && !user.ContactsVerified)
        {
            identity.AddClaim(new System.Security.Claims.Claim(AccountStatus.UnverifiedClaim, "true"));
        }

        identity.AddClaims(AgencyScope.Claims(await db.UserAgencies.Where(a => a.UserId == user.Id).Select(a => a.AgencyId).ToListAsync()));
        return identity;
    }
}
