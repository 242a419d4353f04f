using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Identity;

namespace DichVuCong.Web.Modules.Accounts;

internal sealed class SeedOptions
{
    public const string SectionName = "Seed";

    /// <summary>Password of the demo accounts; when empty, one is generated at first start and printed once.</summary>
    public string? DemoPassword { get; set; }
}

/// <summary>Identity, profiles, roles. This issue brings the stores and the demo accounts; sign-in comes next.</summary>
internal static class AccountsModule
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SeedOptions>().Bind(configuration.GetSection(SeedOptions.SectionName));
        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = false;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<AppDbContext>();
        services.AddScoped<ISeeder, DemoAccountsSeeder>();
        return services;
    }
}
