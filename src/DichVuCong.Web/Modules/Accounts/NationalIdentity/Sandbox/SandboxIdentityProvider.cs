using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DichVuCong.Web.Modules.Accounts.NationalIdentity.Sandbox;

/// <summary>A made-up person the sandbox can sign in as. The numbers are fictional but well formed.</summary>
internal sealed record SandboxPerson(string Subject, string CitizenId, string Name, DateOnly BirthDate, Sex Sex, string Phone, string Note);

/// <summary>
/// A small OpenID Connect provider for development and tests, standing in for VNeID: discovery, keys,
/// a page to pick a test person, and a token endpoint that refuses what a real one refuses (wrong client
/// secret, wrong PKCE verifier, a reused or expired code, another redirect address). Its signing key is
/// made at start and kept in memory only: a restart just sends clients to fetch the new key. Codes and
/// access tokens are in memory too, so it serves one portal process.
/// </summary>
internal sealed class SandboxIdentityProvider(IOptions<NationalIdentityOptions> options, TimeProvider time) : IDisposable
{
    public const string Path = "/dinh-danh-thu";

    public static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);

    public static readonly IReadOnlyList<SandboxPerson> People =
    [
        new("thu-0001", "036095001234", "Nguyễn Văn An", new DateOnly(1995, 5, 12), Sex.Male, "0912345678", "Trùng số CCCD với tài khoản demo.congdan: lần đầu sẽ liên kết"),
        new("thu-0002", "001301004567", "Trần Thị Hoa", new DateOnly(2001, 3, 15), Sex.Female, "0934567890", "Chưa có tài khoản: lần đầu sẽ tạo mới"),
        new("thu-0003", "079088123456", "Lê Đức Minh", new DateOnly(1988, 11, 2), Sex.Male, "0987123456", "Chưa có tài khoản"),
        new("thu-0004", "036187654321", "Phạm Thị Thu Hằng", new DateOnly(1987, 8, 30), Sex.Female, "0978654321", "Chưa có tài khoản"),
        new("thu-0005", "099095000001", "Hoàng Văn Sai", new DateOnly(1995, 1, 1), Sex.Male, "0911000001", "Số CCCD sai cấu trúc: để thử Cổng từ chối"),
    ];

    private readonly RSA rsa = RSA.Create(2048);
    private readonly string keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private readonly ConcurrentDictionary<string, PendingCode> codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (SandboxPerson Person, DateTimeOffset ExpiresAt)> accessTokens = new(StringComparer.Ordinal);

    private sealed record PendingCode(string ClientId, string RedirectUri, string CodeChallenge, string? Nonce, SandboxPerson Person, DateTimeOffset ExpiresAt);

    public NationalIdentityOptions Client => options.Value;

    /// <summary>The issuer as the caller reaches this portal: the sandbox has no address of its own.</summary>
    public static string Issuer(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Path}";

    /// <summary>The one redirect address registered: the portal's own callback, on the origin the sandbox is reached at.</summary>
    public static string RegisteredRedirectUri(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{NationalIdentityOptions.CallbackPath}";

    /// <summary>A single-use authorization code bound to the client, the redirect address and the PKCE challenge.</summary>
    public string IssueCode(string clientId, string redirectUri, string codeChallenge, string? nonce, SandboxPerson person)
    {
        var now = time.GetUtcNow();
        foreach (var (key, stale) in codes)
        {
            if (stale.ExpiresAt <= now)
            {
                codes.TryRemove(key, out _);
            }
        }

        var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        codes[code] = new PendingCode(clientId, redirectUri, codeChallenge, nonce, person, now + CodeLifetime);
        return code;
    }

    /// <summary>Redeems a code: whatever the outcome, the code is gone.</summary>
    public TokenOutcome Redeem(string? code, string clientId, string? redirectUri, string? codeVerifier, string issuer)
    {
        if (string.IsNullOrEmpty(code) || !codes.TryRemove(code, out var pending) || pending.ExpiresAt <= time.GetUtcNow())
        {
            return TokenOutcome.Refused("invalid_grant", "Mã cấp quyền không tồn tại, đã dùng hoặc đã hết hạn.");
        }

        if (pending.ClientId != clientId || pending.RedirectUri != redirectUri)
        {
            return TokenOutcome.Refused("invalid_grant", "Mã cấp quyền được cấp cho ứng dụng hoặc địa chỉ trả về khác.");
        }

        if (!IsVerifier(codeVerifier) || Challenge(codeVerifier!) != pending.CodeChallenge)
        {
            return TokenOutcome.Refused("invalid_grant", "code_verifier không khớp với code_challenge (PKCE).");
        }

        var now = time.GetUtcNow();
        var accessToken = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        accessTokens[accessToken] = (pending.Person, now + TokenLifetime);
        var claims = Claims(pending.Person);
        claims["auth_time"] = now.ToUnixTimeSeconds();
        if (pending.Nonce is not null)
        {
            claims["nonce"] = pending.Nonce;
        }

        var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = clientId,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + TokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });
        return new TokenOutcome(null, null, idToken, accessToken);
    }

    public SandboxPerson? PersonOf(string accessToken) =>
        accessTokens.TryGetValue(accessToken, out var entry) && entry.ExpiresAt > time.GetUtcNow() ? entry.Person : null;

    /// <summary>The person's claims as a provider sends them: standard OIDC names, E.164 phone, ISO birth date.</summary>
    public Dictionary<string, object> Claims(SandboxPerson person) => new(StringComparer.Ordinal)
    {
        ["sub"] = person.Subject,
        [Client.CitizenIdClaim] = person.CitizenId,
        ["name"] = person.Name,
        ["birthdate"] = person.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["gender"] = person.Sex == Sex.Female ? "female" : "male",
        ["phone_number"] = "+84" + person.Phone[1..],
        ["phone_number_verified"] = true,
    };

    public object Keys()
    {
        var key = rsa.ExportParameters(includePrivateParameters: false);
        return new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = keyId, n = Base64Url.EncodeToString(key.Modulus), e = Base64Url.EncodeToString(key.Exponent) } } };
    }

    /// <summary>Compares a presented client secret with the registered one in constant time.</summary>
    public bool IsClient(string? clientId, string? clientSecret) =>
        clientId == Client.ClientId
        && clientSecret is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(Client.ClientSecret!));

    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>RFC 7636: 43 to 128 characters of A-Z a-z 0-9 - . _ ~.</summary>
    private static bool IsVerifier(string? verifier) =>
        verifier is { Length: >= 43 and <= 128 } && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    public void Dispose() => rsa.Dispose();
}

internal sealed record TokenOutcome(string? Error, string? Description, string? IdToken, string? AccessToken)
{
    public static TokenOutcome Refused(string error, string description) => new(error, description, null, null);
}

/// <summary>The provider's HTTP endpoints besides the authorize page (a Razor page beside this file).</summary>
internal static class SandboxEndpoints
{
    /// <summary>What the discovery document says the provider supports: exactly what it checks.</summary>
    private static readonly Dictionary<string, object> Supported = new(StringComparer.Ordinal)
    {
        ["response_types_supported"] = (string[])["code"],
        ["response_modes_supported"] = (string[])["query"],
        ["grant_types_supported"] = (string[])["authorization_code"],
        ["subject_types_supported"] = (string[])["public"],
        ["id_token_signing_alg_values_supported"] = (string[])["RS256"],
        ["scopes_supported"] = (string[])["openid", "profile", "phone"],
        ["token_endpoint_auth_methods_supported"] = (string[])["client_secret_post", "client_secret_basic"],
        ["code_challenge_methods_supported"] = (string[])["S256"],
    };

    public static void MapSandboxIdentityProvider(this IEndpointRouteBuilder app)
    {
        var sandbox = app.MapGroup(SandboxIdentityProvider.Path).ExcludeFromDescription().DisableAntiforgery();
        sandbox.MapGet("/.well-known/openid-configuration", (HttpRequest request, SandboxIdentityProvider provider) =>
        {
            var issuer = SandboxIdentityProvider.Issuer(request);
            return TypedResults.Json(new Dictionary<string, object>(Supported)
            {
                ["issuer"] = issuer,
                ["authorization_endpoint"] = issuer + "/authorize",
                ["token_endpoint"] = issuer + "/token",
                ["userinfo_endpoint"] = issuer + "/userinfo",
                ["jwks_uri"] = issuer + "/jwks",
                ["claims_supported"] = (string[])["sub", provider.Client.CitizenIdClaim, "name", "birthdate", "gender", "phone_number", "phone_number_verified"],
            });
        });
        sandbox.MapGet("/jwks", (SandboxIdentityProvider provider) => TypedResults.Json(provider.Keys()));
        sandbox.MapPost("/token", TokenAsync);
        sandbox.MapGet("/userinfo", UserInfo);
    }

    private static async Task<IResult> TokenAsync(HttpContext context, SandboxIdentityProvider provider)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
        {
            return Refuse("invalid_request", "Gửi yêu cầu dạng application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var (clientId, secret, basic) = ClientCredentials(context.Request, form);
        if (basic && form.ContainsKey("client_secret"))
        {
            return Refuse("invalid_request", "Chỉ dùng một cách xác thực ứng dụng.");
        }

        if (!provider.IsClient(clientId, secret))
        {
            if (basic)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"dinh-danh-thu\"";
            }

            return Refuse("invalid_client", "Sai mã ứng dụng hoặc khóa bí mật.", StatusCodes.Status401Unauthorized);
        }

        if (form["grant_type"] != "authorization_code")
        {
            return Refuse("unsupported_grant_type", "Chỉ hỗ trợ authorization_code.");
        }

        var outcome = provider.Redeem(form["code"], clientId!, form["redirect_uri"], form["code_verifier"], SandboxIdentityProvider.Issuer(context.Request));
        return outcome.Error is not null
            ? Refuse(outcome.Error, outcome.Description!)
            : TypedResults.Json(new Dictionary<string, object>
            {
                ["access_token"] = outcome.AccessToken!,
                ["token_type"] = "Bearer",
                ["expires_in"] = (int)SandboxIdentityProvider.TokenLifetime.TotalSeconds,
                ["id_token"] = outcome.IdToken!,
            });
    }

    private static IResult UserInfo(HttpContext context, SandboxIdentityProvider provider)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var person = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? provider.PersonOf(header[7..].Trim()) : null;
        if (person is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Refuse("invalid_token", "Mã truy cập không hợp lệ hoặc đã hết hạn.", StatusCodes.Status401Unauthorized);
        }

        return TypedResults.Json(provider.Claims(person));
    }

    /// <summary>client_secret_basic (RFC 6749 §2.3.1: form-encoded, then base64) or client_secret_post.</summary>
    private static (string? ClientId, string? Secret, bool Basic) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (form["client_id"], form["client_secret"], false);
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null, true) : (Decode(pair[..colon]), Decode(pair[(colon + 1)..]), true);
        }
        catch (FormatException)
        {
            return (null, null, true);
        }

        static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
    }

    private static JsonHttpResult<Dictionary<string, string>> Refuse(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);
}
