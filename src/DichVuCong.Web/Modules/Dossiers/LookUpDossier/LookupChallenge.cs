using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Dossiers.LookUpDossier;

/// <summary>
/// A 6-digit code sent by SMS to the phone on the dossiers of one CCCD/CMND number, so only the holder of that phone
/// sees the list of those dossiers. Stored for every request, known number or not, so both cost the same and the
/// per-number limits say nothing about whether dossiers exist. Neither the number nor the code is kept in clear: the
/// number as a keyed hash (<see cref="LookupHasher"/>), the code as a hash salted with the id.
/// </summary>
internal sealed class LookupChallenge
{
    public const int MaxAttempts = 5;

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public Guid Id { get; private set; } = Guid.NewGuid();

    /// <summary>HMAC-SHA256 of the identity number (hex); the per-number limits count by it.</summary>
    public string IdentityHash { get; private set; } = string.Empty;

    /// <summary>Empty when no dossier had a phone: no code was sent, and none can match.</summary>
    public string CodeHash { get; private set; } = string.Empty;

    public DateTime SentAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTime? UsedAt { get; private set; }

    /// <summary>A new challenge and its code; the code is only hashed in when it is actually sent.</summary>
    public static (LookupChallenge Entry, string Code) Create(string identityHash, bool sent, DateTime now)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var entry = new LookupChallenge { IdentityHash = identityHash, SentAt = now, ExpiresAt = now + Lifetime };
        entry.CodeHash = sent ? entry.Hash(code) : string.Empty;
        return (entry, code);
    }

    public bool Matches(string code) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(code)), Encoding.ASCII.GetBytes(CodeHash));

    private string Hash(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Id.ToString("N") + ":" + code)));
}

internal sealed class LookupChallengeMapping : IEntityTypeConfiguration<LookupChallenge>
{
    public void Configure(EntityTypeBuilder<LookupChallenge> e)
    {
        e.ToTable("LookupChallenges");
        e.HasIndex(x => new { x.IdentityHash, x.SentAt });
        e.HasIndex(x => x.SentAt);
        e.Property(x => x.IdentityHash).HasMaxLength(64);
        e.Property(x => x.CodeHash).HasMaxLength(64);
    }
}

/// <summary>Settings of the lookup by CCCD/CMND (section <c>Lookup</c>).</summary>
internal sealed class LookupOptions
{
    public const string SectionName = "Lookup";

    /// <summary>
    /// The secret keying the hash of identity numbers in <see cref="LookupChallenge"/> (any long random text). Unset,
    /// the portal makes one and keeps it in its database (<see cref="PortalSecret"/>), the same for every instance.
    /// </summary>
    public string? HashKey { get; set; }
}

/// <summary>
/// Hashes identity numbers with HMAC-SHA256 under a secret key. A plain hash would not do: a CCCD has about 10⁹
/// possible values, so anyone reading the table could hash them all. A configured secret, or one the portal made and keeps
/// in its database, rather than a key from Data Protection, which gives no stable key to hash with (its output is randomised).
/// </summary>
internal sealed class LookupHasher(IOptions<LookupOptions> options, IServiceScopeFactory scopes) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private byte[]? key;

    public async Task<string> HashAsync(string identityNumber, CancellationToken cancellationToken) =>
        Convert.ToHexString(HMACSHA256.HashData(key ?? await KeyAsync(cancellationToken), Encoding.ASCII.GetBytes(identityNumber)));

    /// <summary>The configured secret, else one the portal keeps in its database, shared by every instance.</summary>
    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (key is null && !string.IsNullOrEmpty(options.Value.HashKey))
            {
                key = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.HashKey));
            }
            else if (key is null)
            {
                using var scope = scopes.CreateScope();
                key = await PortalSecret.GetOrCreateAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), "lookup-hash-key", cancellationToken);
            }

            return key;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}

/// <summary>What a typed code gave; the page words each case for the person.</summary>
internal abstract record LookupCodeCheck
{
    public sealed record Accepted : LookupCodeCheck;

    public sealed record Wrong(int AttemptsLeft) : LookupCodeCheck;

    /// <summary>Expired, used up, never sent, or for another number: the person needs a new code.</summary>
    public sealed record NeedsNewCode : LookupCodeCheck;
}

/// <summary>Sends lookup codes (through the outbox) and checks them, as <c>Accounts/Verification/OneTimeCodes</c> does for accounts.</summary>
internal sealed class LookupChallenges(AppDbContext db, LookupHasher hasher, TimeProvider time)
{
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(60);

    public const int PerHour = 5;

    /// <summary>Challenges are kept this long (the hourly limit needs the last hour), then deleted: even hashed, a number is personal data.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    /// <summary>
    /// Sends a code to the phone of the newest dossier of <paramref name="identityNumber"/> that has one, and returns the
    /// challenge's id; or returns how long to wait when the number asked too recently or too often. The same statements
    /// run whether or not the number has dossiers.
    /// </summary>
    public async Task<(Guid? Id, TimeSpan? Wait)> RequestAsync(string identityNumber, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var hash = await hasher.HashAsync(identityNumber, cancellationToken);
        var recent = await db.Set<LookupChallenge>()
            .Where(c => c.IdentityHash == hash && c.SentAt > now.AddHours(-1))
            .Select(c => c.SentAt)
            .ToListAsync(cancellationToken);
        if (recent.Count > 0 && recent.Max() + ResendAfter > now)
        {
            return (null, recent.Max() + ResendAfter - now);
        }

        if (recent.Count >= PerHour)
        {
            return (null, recent.Min().AddHours(1) - now);
        }

        var phone = await db.Dossiers.AsNoTracking()
            .Where(d => d.Applicant.IdentityNumber == identityNumber && d.Status != DossierStatus.Draft && d.Applicant.Phone != null && d.Applicant.Phone != "")
            .OrderByDescending(d => d.SubmittedAt)
            .Select(d => d.Applicant.Phone)
            .FirstOrDefaultAsync(cancellationToken);
        await db.Set<LookupChallenge>()
            .Where(c => c.IdentityHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
        await db.Set<LookupChallenge>().Where(c => c.SentAt < now - KeptFor).ExecuteDeleteAsync(cancellationToken);
        var (entry, code) = LookupChallenge.Create(hash, phone is not null, now);
        db.Add(entry);
        if (phone is not null)
        {
            var minutes = (int)LookupChallenge.Lifetime.TotalMinutes;
            db.Add(OutboxMessage.Sms(phone, $"Ma {code} de tra cuu ho so tren Cong DVC, hieu luc {minutes} phut. Khong cung cap ma cho bat ky ai.", "otp-tra-cuu", now));
        }

        await db.SaveChangesAsync(cancellationToken);
        return (entry.Id, null);
    }

    /// <summary>Checks a typed code for the challenge of this number; each check counts, even from two requests at once, and a right code works once.</summary>
    public async Task<LookupCodeCheck> CheckAsync(Guid challengeId, string identityNumber, string typed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var entry = await db.Set<LookupChallenge>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == challengeId && c.UsedAt == null && c.ExpiresAt > now, cancellationToken);
        var hash = await hasher.HashAsync(identityNumber, cancellationToken);
        if (entry is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(entry.IdentityHash), Encoding.ASCII.GetBytes(hash)))
        {
            return new LookupCodeCheck.NeedsNewCode();
        }

        var counted = await db.Set<LookupChallenge>()
            .Where(c => c.Id == entry.Id && c.UsedAt == null && c.Attempts < LookupChallenge.MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
        if (counted == 0)
        {
            return new LookupCodeCheck.NeedsNewCode();
        }

        var code = new string(typed.Where(char.IsAsciiDigit).ToArray());
        if (!entry.Matches(code))
        {
            var left = LookupChallenge.MaxAttempts - entry.Attempts - 1;
            return left > 0 ? new LookupCodeCheck.Wrong(left) : new LookupCodeCheck.NeedsNewCode();
        }

        var used = await db.Set<LookupChallenge>()
            .Where(c => c.Id == entry.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
        return used == 1 ? new LookupCodeCheck.Accepted() : new LookupCodeCheck.NeedsNewCode();
    }

    /// <summary>
    /// A CCCD (12 digits, checked like at registration) or an old CMND (9 digits), spaces and dots dropped; or a message
    /// saying what to fix.
    /// </summary>
    public static (string? Number, string? Error) Normalize(string? typed)
    {
        var digits = new string((typed ?? string.Empty).Where(c => !char.IsWhiteSpace(c) && c != '.').ToArray());
        if (digits.Length == 9 && digits.All(char.IsAsciiDigit))
        {
            return (digits, null);
        }

        if (digits.Length != 12 || !digits.All(char.IsAsciiDigit))
        {
            return (null, "Nhập số CCCD gồm 12 chữ số hoặc số CMND gồm 9 chữ số.");
        }

        return CitizenIdentity.Check(digits) is { } error ? (null, error) : (digits, null);
    }
}

/// <summary>
/// The two cookies of the lookup by CCCD/CMND, protected by Data Protection (so the number they carry is encrypted
/// and cannot be changed) and HttpOnly: the challenge while the person types the code, then the grant to see the
/// list. Their end is inside the payload and checked against the portal's clock, not only the browser's.
/// </summary>
internal sealed record LookupPass(Guid ChallengeId, string IdentityNumber, DateTime ExpiresAt)
{
    public const string Challenge = "dvc.tra-cuu.ma";

    public const string Grant = "dvc.tra-cuu";

    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(15);

    public static readonly TimeSpan GrantLifetime = TimeSpan.FromMinutes(15);

    private const string Purpose = "DichVuCong.LookupPass";

    public static void Write(HttpContext context, string cookieName, LookupPass pass, DateTime now)
    {
        var value = Protector(context, cookieName).Protect(JsonSerializer.Serialize(pass));
        context.Response.Cookies.Append(cookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            MaxAge = pass.ExpiresAt - now,
            Path = "/tra-cuu",
        });
    }

    public static LookupPass? Read(HttpContext context, string cookieName, DateTime now)
    {
        if (context.Request.Cookies[cookieName] is not { Length: > 0 } value)
        {
            return null;
        }

        try
        {
            var pass = JsonSerializer.Deserialize<LookupPass>(Protector(context, cookieName).Unprotect(value));
            return pass is not null && pass.ExpiresAt > now ? pass : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext context, string cookieName) => context.Response.Cookies.Delete(cookieName, new CookieOptions { Path = "/tra-cuu" });

    private static IDataProtector Protector(HttpContext context, string cookieName) =>
        context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose, cookieName);
}
