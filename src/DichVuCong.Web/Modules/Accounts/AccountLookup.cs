using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Accounts;

/// <summary>Finds the account a person means by what they typed to sign in.</summary>
internal static class AccountLookup
{
    /// <summary>A 12-digit number is a CCCD, an address with @ an e-mail, other digits a phone, else a user name.</summary>
    public static async Task<AppUser?> FindByLoginAsync(this UserManager<AppUser> users, string login, CancellationToken cancellationToken)
    {
        if (login.Length == 12 && login.All(char.IsAsciiDigit))
        {
            return await users.Users.FirstOrDefaultAsync(u => u.CitizenId == login, cancellationToken);
        }

        if (login.Contains('@', StringComparison.Ordinal))
        {
            return await users.FindByEmailAsync(login);
        }

        var digits = new string(login.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= 9 && digits.Length == login.Count(c => !char.IsWhiteSpace(c) && c != '.' && c != '-'))
        {
            var phone = digits.StartsWith("84", StringComparison.Ordinal) ? "0" + digits[2..] : digits;
            // A 10-digit tax code is an organisation's user name and looks like a phone number.
            return await users.Users.FirstOrDefaultAsync(u => u.PhoneNumber == phone, cancellationToken)
                ?? await users.FindByNameAsync(login);
        }

        return await users.FindByNameAsync(login);
    }

    private static readonly AppUser Nobody = new() { UserName = "khong-ton-tai", FullName = string.Empty };

    private static string? nobodyHash;

    /// <summary>
    /// Costs what checking a real password costs, for a login that matched no account, so the answer's
    /// timing does not tell whether an account exists.
    /// </summary>
    public static void SpendPasswordCheck(this UserManager<AppUser> users, string password)
    {
        nobodyHash ??= users.PasswordHasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        users.PasswordHasher.VerifyHashedPassword(Nobody, nobodyHash, password);
    }

    /// <summary>What the password policy says of a new password, in Vietnamese; empty when it is acceptable.</summary>
    public static async Task<List<string>> CheckPasswordPolicyAsync(this UserManager<AppUser> users, AppUser? user, string password)
    {
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user ?? new AppUser { FullName = string.Empty }, password);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }

        return problems;
    }
}
