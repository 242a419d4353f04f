using System.Security.Cryptography;
using System.Text;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Accounts.Verification;

internal enum CodePurpose
{
    VerifyEmail = 1,
    VerifyPhone = 2,
    ResetPassword = 3,
}

/// <summary>
/// A 6-digit code sent by e-mail or SMS: valid for five minutes and five tries, for one purpose and one
/// address. Only a hash is kept, so the database never holds a usable code.
/// </summary>
internal sealed class OneTimeCode
{
    public const int MaxAttempts = 5;

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public Guid Id { get; private set; } = Guid.NewGuid();

    public Guid UserId { get; private set; }

    public CodePurpose Purpose { get; private set; }

    public MessageChannel Channel { get; private set; }

    /// <summary>The e-mail address or mobile number the code went to; what a correct code proves.</summary>
    public string Target { get; private set; } = string.Empty;

    public string CodeHash { get; private set; } = string.Empty;

    public DateTime SentAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public int Attempts { get; private set; }

    public DateTime? UsedAt { get; private set; }

    public static (OneTimeCode Entry, string Code) Create(Guid userId, CodePurpose purpose, MessageChannel channel, string target, DateTime now)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var entry = new OneTimeCode { UserId = userId, Purpose = purpose, Channel = channel, Target = target, SentAt = now, ExpiresAt = now + Lifetime };
        entry.CodeHash = entry.Hash(code);
        return (entry, code);
    }

    public bool Matches(string code) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(code)), Encoding.ASCII.GetBytes(CodeHash));

    private string Hash(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Id.ToString("N") + ":" + code)));
}

internal sealed class OneTimeCodeMapping : IEntityTypeConfiguration<OneTimeCode>
{
    public void Configure(EntityTypeBuilder<OneTimeCode> e)
    {
        e.ToTable("OneTimeCodes");
        e.HasIndex(x => new { x.UserId, x.Purpose, x.SentAt });
        e.Property(x => x.Purpose).HasConversion<int>();
        e.Property(x => x.Channel).HasConversion<int>();
        e.Property(x => x.Target).HasMaxLength(254);
        e.Property(x => x.CodeHash).HasMaxLength(64);
        e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal abstract record CodeCheck
{
    public sealed record Accepted(string Target) : CodeCheck;

    public sealed record Wrong(int AttemptsLeft) : CodeCheck;

    /// <summary>Expired, used up, or never sent: the person needs a new code.</summary>
    public sealed record NeedsNewCode : CodeCheck;
}

/// <summary>Sends one-time codes (through the outbox, in the caller's transaction) and checks them.</summary>
internal sealed class OneTimeCodes(AppDbContext db, TimeProvider time)
{
    /// <summary>The wait between two codes for the same purpose.</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(60);

    /// <summary>At most this many codes per purpose and account in an hour.</summary>
    public const int PerHour = 5;

    /// <summary>
    /// Queues a new code to <paramref name="target"/> and retires the earlier ones of that purpose, or
    /// returns how long to wait when one was sent too recently. The caller saves the changes.
    /// </summary>
    public async Task<TimeSpan?> QueueAsync(AppUser user, CodePurpose purpose, MessageChannel channel, string target, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var recent = await db.Set<OneTimeCode>()
            .Where(c => c.UserId == user.Id && c.Purpose == purpose && c.SentAt > now.AddHours(-1))
            .Select(c => c.SentAt)
            .ToListAsync(cancellationToken);
        if (recent.Count > 0 && recent.Max() + ResendAfter > now)
        {
            return recent.Max() + ResendAfter - now;
        }

        if (recent.Count >= PerHour)
        {
            return recent.Min().AddHours(1) - now;
        }

        await db.Set<OneTimeCode>()
            .Where(c => c.UserId == user.Id && c.Purpose == purpose && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
        var (entry, code) = OneTimeCode.Create(user.Id, purpose, channel, target, now);
        db.Add(entry);
        var what = purpose switch
        {
            CodePurpose.VerifyEmail => "xác minh địa chỉ email",
            CodePurpose.VerifyPhone => "xác minh số điện thoại",
            _ => "đặt lại mật khẩu",
        };
        var minutes = (int)OneTimeCode.Lifetime.TotalMinutes;
        db.Add(channel == MessageChannel.Email
            ? OutboxMessage.Email(
                target,
                $"Mã {what}: {code}",
                $"Xin chào {user.FullName},\n\nMã {what} của bạn trên Cổng Dịch vụ công là: {code}\n\nMã có hiệu lực trong {minutes} phút. Không cung cấp mã này cho bất kỳ ai, kể cả người tự xưng là cán bộ.\nNếu bạn không yêu cầu, hãy bỏ qua thư này.",
                "otp-" + purpose.ToString().ToLowerInvariant(),
                now)
            : OutboxMessage.Sms(
                target,
                $"Ma {code} de {VietnameseText.Fold(what)} tren Cong DVC, hieu luc {minutes} phut. Khong cung cap ma cho bat ky ai.",
                "otp-" + purpose.ToString().ToLowerInvariant(),
                now));
        return null;
    }

    /// <summary>Checks a typed code; each check counts, even from two requests at once, and a right code works once.</summary>
    public async Task<CodeCheck> CheckAsync(Guid userId, CodePurpose purpose, string typed, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var entry = await db.Set<OneTimeCode>().AsNoTracking()
            .Where(c => c.UserId == userId && c.Purpose == purpose && c.UsedAt == null && c.ExpiresAt > now)
            .OrderByDescending(c => c.SentAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (entry is null)
        {
            return new CodeCheck.NeedsNewCode();
        }

        var counted = await db.Set<OneTimeCode>()
            .Where(c => c.Id == entry.Id && c.UsedAt == null && c.Attempts < OneTimeCode.MaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Attempts, c => c.Attempts + 1), cancellationToken);
        if (counted == 0)
        {
            return new CodeCheck.NeedsNewCode();
        }

        var code = new string(typed.Where(char.IsAsciiDigit).ToArray());
        if (!entry.Matches(code))
        {
            var left = OneTimeCode.MaxAttempts - entry.Attempts - 1;
            return left > 0 ? new CodeCheck.Wrong(left) : new CodeCheck.NeedsNewCode();
        }

        var used = await db.Set<OneTimeCode>()
            .Where(c => c.Id == entry.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
        return used == 1 ? new CodeCheck.Accepted(entry.Target) : new CodeCheck.NeedsNewCode();
    }

    /// <summary>What a person reads after a check that did not pass.</summary>
    public static string Explain(CodeCheck check) => check switch
    {
        CodeCheck.Wrong w => $"Mã xác minh không đúng. Bạn còn {w.AttemptsLeft} lần thử.",
        _ => "Mã xác minh đã hết hạn hoặc đã nhập sai quá 5 lần. Bấm “Gửi lại mã” để nhận mã mới.",
    };

    public static string Wait(TimeSpan wait) =>
        wait.TotalSeconds < 90
            ? $"Mã vừa được gửi. Vui lòng đợi {Math.Ceiling(wait.TotalSeconds)} giây rồi bấm “Gửi lại mã”."
            : $"Bạn đã yêu cầu quá nhiều mã. Vui lòng thử lại sau {Math.Ceiling(wait.TotalMinutes)} phút.";
}
