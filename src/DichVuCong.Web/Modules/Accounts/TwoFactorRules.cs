using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace DichVuCong.Web.Modules.Accounts;

/// <summary>Who must sign in with two factors, and how a session shows that it did.</summary>
internal static class TwoFactorRules
{
    public const string EnrolmentPath = "/tai-khoan/xac-thuc-hai-buoc";

    /// <summary>Officers and administrators reach other people's dossiers and the system: never with a password alone.</summary>
    public static readonly string[] RequiredForRoles = [Roles.Reception, Roles.Specialist, Roles.Leader, Roles.AgencyAdmin, Roles.SystemAdmin];

    public static bool IsRequiredFor(ClaimsPrincipal user) => RequiredForRoles.Any(user.IsInRole);

    public static async Task<bool> IsRequiredForAsync(UserManager<AppUser> users, AppUser user) =>
        user.Kind is AccountKind.Officer or AccountKind.Administrator
        || (await users.GetRolesAsync(user)).Any(RequiredForRoles.Contains);

    public static bool SignedInWithTwoFactors(ClaimsPrincipal user) => user.HasClaim("amr", "mfa");

    /// <summary>
    /// The security-stamp check rebuilds the session's principal from the database every minute and forgets how
    /// the person signed in; without this an officer would lose the back office a minute after signing in.
    /// </summary>
    public static Task KeepSecondFactor(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal is { } current && SignedInWithTwoFactors(current)
            && context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim("amr", "mfa"))
        {
            identity.AddClaim(new Claim("amr", "mfa"));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Where to send a refused page request instead of "no access": an officer or administrator whose session
    /// lacks the second factor (typically not enrolled yet) goes to enrolment, then back.
    /// </summary>
    public static string? EnrolmentInsteadOfDenied(HttpContext context) =>
        AccountsModule.LacksSecondFactor(context.User)
            ? EnrolmentPath + "?returnUrl=" + Uri.EscapeDataString(context.Request.PathBase + context.Request.Path + context.Request.QueryString)
            : null;
}
