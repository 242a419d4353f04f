using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Accounts.IssueToken;

internal sealed record TokenRequest(string UserName, string Password, string? Otp);

internal sealed record TokenResponse(string AccessToken, int ExpiresIn);

internal sealed record MeResponse(string UserName, string FullName, IReadOnlyList<string> Roles);

internal static class IssueTokenEndpoint
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static void MapIssueToken(this IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/token", HandleAsync)
            .WithName("IssueToken")
            .WithSummary("Cấp mã truy cập (bearer token) cho API bằng tên đăng nhập, mật khẩu và mã xác thực hai bước nếu tài khoản dùng")
            .RequireRateLimiting(Policies.SignInRateLimit)
            .DisableAntiforgery();
        api.MapGet("/me", Me)
            .WithName("Me")
            .WithSummary("Tài khoản đang dùng mã truy cập")
            .RequireAuthorization();
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> HandleAsync(
        TokenRequest request,
        UserManager<AppUser> users,
        SignInManager<AppUser> signIn,
        IOptionsMonitor<BearerTokenOptions> bearer,
        AuditLog audit,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var user = string.IsNullOrWhiteSpace(request.UserName) ? null : await users.FindByLoginAsync(request.UserName.Trim(), cancellationToken);
        var now = time.GetUtcNow();
        if (user is null)
        {
            users.SpendPasswordCheck(request.Password ?? string.Empty);
        }

        var ok = user is not null && (await signIn.CheckPasswordSignInAsync(user, request.Password ?? string.Empty, lockoutOnFailure: true)).Succeeded;
        var secondFactor = ok && user!.TwoFactorEnabled;
        if (secondFactor)
        {
            ok = !string.IsNullOrWhiteSpace(request.Otp)
                && await users.VerifyTwoFactorTokenAsync(user!, TokenOptions.DefaultAuthenticatorProvider, request.Otp.Replace(" ", string.Empty, StringComparison.Ordinal));
            if (!ok)
            {
                // A wrong code counts towards the lockout, as on the sign-in page: no guessing codes by API.
                await users.AccessFailedAsync(user!);
            }
        }

        await audit.RecordAsync(ok ? AuditKind.SignIn : AuditKind.SignInFailed, user?.Id, "API", cancellationToken);
        if (!ok)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Không cấp được mã truy cập",
                detail: "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng, hoặc tài khoản đang tạm khóa.");
        }

        var principal = await signIn.CreateUserPrincipalAsync(user!);
        if (secondFactor)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("amr", "mfa"));
        }

        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + Lifetime };
        var token = bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(new AuthenticationTicket(principal, properties, IdentityConstants.BearerScheme));
        return TypedResults.Ok(new TokenResponse(token, (int)Lifetime.TotalSeconds));
    }

    private static Ok<MeResponse> Me(ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(
        user.Identity?.Name ?? string.Empty,
        user.FindFirst("full_name")?.Value ?? string.Empty,
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList()));
}
