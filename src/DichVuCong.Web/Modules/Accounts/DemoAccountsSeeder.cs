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
    IUserStore<AppUser> store,
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

        var totpSecret = options.Value.DemoTotpSecret?.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var totpGenerated = string.IsNullOrEmpty(totpSecret) && missing.Any(m => m.TwoFactor);
        if (totpGenerated)
        {
            totpSecret = Base32(RandomNumberGenerator.GetBytes(20));
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
                CitizenId = seed.CitizenId,
                CitizenIdVerified = seed.CitizenId is not null,
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
            if (seed.TwoFactor)
            {
                // Officers and administrators sign in with an authenticator app; the demo ones share one secret.
                await ((IUserAuthenticatorKeyStore<AppUser>)store).SetAuthenticatorKeyAsync(user, totpSecret!, cancellationToken);
                Check(await users.SetTwoFactorEnabledAsync(user, true));
            }
            db.MarkApplied("accounts:" + seed.UserName, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        LogCreated(logger, missing.Count);
        if (generated || totpGenerated)
        {
            // Deliberately the console and not the log: secrets must not reach log storage.
            Console.WriteLine();
            Console.WriteLine("=== Tài khoản demo / Demo accounts (chỉ in một lần / printed once) ===");
            Console.WriteLine($"  {string.Join(", ", missing.Select(m => m.UserName))}");
            if (generated)
            {
                Console.WriteLine($"  Mật khẩu / Password: {password}   (Seed:DemoPassword)");
            }

            if (totpGenerated)
            {
                Console.WriteLine($"  Mã bí mật ứng dụng xác thực của cán bộ, quản trị / Officers' authenticator secret: {totpSecret}   (Seed:DemoTotpSecret)");
            }

            Console.WriteLine();
        }
    }

    /// <summary>Stops the start with a plain message when Seed:DemoPassword is too weak for the password policy.</summary>
    private async Task CheckPolicyAsync(string password)
    {
        var probe = new AppUser { UserName = "demo.kiemtra", FullName = "demo" };
        if (await users.CheckPasswordPolicyAsync(probe, password) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(
                "Seed:DemoPassword does not meet the password policy (at least 10 characters, with an upper-case letter, a lower-case letter and a digit): "
                + string.Join("; ", problems));
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

    /// <summary>RFC 4648 base32 without padding, the form authenticator apps take.</summary>
    internal static string Base32(byte[] bytes)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(alphabet[(buffer << (5 - bits)) & 31]);
        }

        return output.ToString();
    }

    private sealed record AccountSeed(string UserName, string FullName, AccountKind Kind, string Email, string Phone, List<string> Roles, List<string> Agencies, string? CitizenId, bool TwoFactor);
}
