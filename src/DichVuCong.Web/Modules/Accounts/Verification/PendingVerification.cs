using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace DichVuCong.Web.Modules.Accounts.Verification;

/// <summary>
/// Who is verifying their contacts right after registering, before they sign in: a protected, short-lived
/// cookie naming the account and where the codes went (as typed, masked when shown). When the details
/// belonged to an existing account, it names no account, so the next page looks the same either way.
/// </summary>
internal sealed record PendingVerification(Guid UserId, string? Email, string? Phone)
{
    /// <summary>After registering: the codes to verify the e-mail and phone.</summary>
    public const string Registration = "dvc.pending";

    /// <summary>After "forgot password": the code to set a new one.</summary>
    public const string PasswordReset = "dvc.reset";

    private const string Purpose = "DichVuCong.PendingVerification";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public void Write(HttpContext context, string cookieName = Registration)
    {
        var protector = context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose, cookieName).ToTimeLimitedDataProtector();
        context.Response.Cookies.Append(cookieName, protector.Protect(JsonSerializer.Serialize(this), Lifetime), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = Lifetime,
            Path = "/",
        });
    }

    public static PendingVerification? Read(HttpContext context, string cookieName = Registration)
    {
        if (context.Request.Cookies[cookieName] is not { Length: > 0 } value)
        {
            return null;
        }

        try
        {
            var protector = context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose, cookieName).ToTimeLimitedDataProtector();
            return JsonSerializer.Deserialize<PendingVerification>(protector.Unprotect(value));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext context, string cookieName = Registration) => context.Response.Cookies.Delete(cookieName);
}
