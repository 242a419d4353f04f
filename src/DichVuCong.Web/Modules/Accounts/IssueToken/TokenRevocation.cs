using System.Collections.Concurrent;
using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Accounts.IssueToken;

/// <summary>
/// Holds bearer tokens to the account's security stamp, as Identity holds the sign-in cookie: changing the password,
/// "sign out everywhere", or an administrator disabling an officer or changing their roles (each renews the stamp)
/// ends the account's tokens within <see cref="SecurityStampValidatorOptions.ValidationInterval"/> (1 minute) instead
/// of the token's hour. The stamp is read at most once per interval per account and instance, so an API client pays one
/// indexed read a minute, not one per call.
/// </summary>
internal sealed class TokenRevocation(IServiceScopeFactory scopes, IOptions<SecurityStampValidatorOptions> validation, IOptions<IdentityOptions> identity, TimeProvider time)
{
    private const int Remembered = 10_000;
    private readonly ConcurrentDictionary<Guid, (string? Stamp, DateTimeOffset ReadAt)> stamps = new();

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var claims = identity.Value.ClaimsIdentity;
        if (!Guid.TryParse(user.FindFirstValue(claims.UserIdClaimType), out var id))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var interval = validation.Value.ValidationInterval;
        if (!stamps.TryGetValue(id, out var known) || now - known.ReadAt >= interval)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            known = (await db.Users.Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleOrDefaultAsync(cancellationToken), now);
            if (stamps.Count >= Remembered)
            {
                foreach (var stale in stamps.Where(s => now - s.Value.ReadAt >= interval).Select(s => s.Key).ToList())
                {
                    stamps.TryRemove(stale, out _);
                }
            }

            stamps[id] = known;
        }

        return known.Stamp is not null && string.Equals(known.Stamp, user.FindFirstValue(claims.SecurityStampClaimType), StringComparison.Ordinal);
    }

    /// <summary>After authentication: a bearer token whose account's stamp changed counts as no token (401 where one is needed).</summary>
    public static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        if (context.User.Identity?.IsAuthenticated == true
            && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !await context.RequestServices.GetRequiredService<TokenRevocation>().IsCurrentAsync(context.User, context.RequestAborted))
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity());
        }

        await next(context);
    }
}
