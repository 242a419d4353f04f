using System.Security.Cryptography;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Accounts;

/// <summary>
/// Creates the roles and one demo account per role (SPEC §5). The password comes from
/// <c>Seed:DemoPassword</c>; without it one is generated and written once to the console, never logged.
/// </summary>
internal sealed partial class DemoAccountsSeeder(
    UserManager<AppUser> users,
    RoleManager<AppRole> roles,
    IOptions<SeedOptions> options,
    TimeProvider time,
    ILogger<DemoAccountsSeeder> logger) : ISeeder
{
    public int Order => 30;

    public async Task SeedAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        foreach (var (name, label) in Roles.All)
        {
            if (await roles.FindByNameAsync(name) is null)
            {
                Check(await roles.CreateAsync(new AppRole { Name = name, DisplayName = label }));
            }
        }

        var seeds = SeedData.Read<List<AccountSeed>>("demo-accounts.json");
        var applied = await db.AppliedAsync("accounts:", cancellationToken);
        var missing = new List<AccountSeed>();
        foreach (var seed in seeds)
        {
            if (!applied.Contains("accounts:" + seed.UserName) && await users.FindByNameAsync(seed.UserName) is null)
            {
                missing.Add(seed);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        var password = options.Value.DemoPassword;
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = GeneratePassword();
        }

        else
        {
            await CheckPolicyAsync(password!);
        }

        var agencies = await db.Agencies.AsNoTracking().Select(a => new { a.Id, a.Code, a.Name, a.Level, a.ReceivesDossiers, a.SortOrder }).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var seed in missing)
        {
            var user = new AppUser
            {
                UserName = seed.UserName,
                FullName = seed.FullName,
                Kind = seed.Kind,
                Email = seed.Email,
                EmailConfirmed = true,
                PhoneNumber = seed.Phone,
                PhoneNumberConfirmed = true,
                CreatedAt = now,
                LockoutEnabled = true,
            };
            foreach (var reference in seed.Agencies)
            {
                // Named by role in the demo province, not by code, so the demo data stays one source.
                var agency = reference switch
                {
                    "@first-commune" => agencies.Where(a => a.Level == AgencyLevel.Commune && a.ReceivesDossiers).OrderBy(a => a.SortOrder).FirstOrDefault(),
                    "@so-tu-phap" => agencies.FirstOrDefault(a => a.Name.StartsWith("Sở Tư pháp", StringComparison.Ordinal)),
                    _ => agencies.FirstOrDefault(a => a.Code == reference),
                };
                if (agency is not null)
                {
                    user.Agencies.Add(new UserAgency { AgencyId = agency.Id });
                }
            }

            Check(await users.CreateAsync(user, password!));
            Check(await users.AddToRolesAsync(user, seed.Roles));
            db.MarkApplied("accounts:" + seed.UserName, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, missing.Count);
        if (generated)
        {
            // Deliberately the console and not the log: the password must not reach log storage.
            Console.WriteLine();
            Console.WriteLine("=== Tài khoản demo / Demo accounts ===");
            Console.WriteLine($"  {string.Join(", ", missing.Select(m => m.UserName))}");
            Console.WriteLine($"  Mật khẩu / Password: {password}");
            Console.WriteLine("  (chỉ in một lần / printed once; đặt Seed:DemoPassword để tự chọn / set Seed:DemoPassword to choose one)");
            Console.WriteLine();
        }
    }

    /// <summary>Stops the start with a plain message when Seed:DemoPassword is too weak for the password policy.</summary>
    private async Task CheckPolicyAsync(string password)
    {
        var probe = new AppUser { UserName = "demo.kiemtra", FullName = "demo" };
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, probe, password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(
                    "Seed:DemoPassword does not meet the password policy (at least 10 characters, with an upper-case letter, a lower-case letter and a digit): "
                    + string.Join("; ", result.Errors.Select(e => e.Description)));
            }
        }
    }

    private static string GeneratePassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 14);
        // Guarantee every class the password policy asks for.
        return "Dv" + new string(chars) + "7";
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Could not seed demo accounts: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} demo accounts.")]
    private static partial void LogCreated(ILogger logger, int count);

    private sealed record AccountSeed(string UserName, string FullName, AccountKind Kind, string Email, string Phone, List<string> Roles, List<string> Agencies);
}
