using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace DichVuCong.Web.Modules.Accounts;

/// <summary>
/// Authenticator-app codes that work once. Identity's own provider accepts a code again for ±90 s, so a
/// code read over a shoulder or out of a proxy log would sign in a second time. This one accepts the code
/// of the previous, current or next 30-second step (clock drift), and only for a step later than the last
/// one the account used: the step is claimed by one conditional UPDATE, so two requests racing with the
/// same code cannot both pass. Only this UPDATE writes the column (see <see cref="AppUserMapping"/>): Identity
/// saves the whole account row from the copy it read, which would put an older step back. It stands under
/// Identity's default authenticator name, so the web sign-in, the API token and enrolment all go through it.
/// </summary>
/// <remarks>Identity computes the codes internally and does not say which step matched; Otp.NET does.</remarks>
internal sealed class OneTimeAuthenticatorTokenProvider(AppDbContext db, TimeProvider time) : AuthenticatorTokenProvider<AppUser>
{
    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, token, out var step, new VerificationWindow(previous: 1, future: 1)))
        {
            return false;
        }

        var claimed = await db.Users
            .Where(u => u.Id == user.Id && (u.LastTotpStep == null || u.LastTotpStep < step))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastTotpStep, step));
        return claimed == 1;
    }
}
