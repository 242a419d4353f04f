using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Accounts;

internal enum AuditKind
{
    SignIn = 1,
    SignInFailed = 2,
    SecondFactorFailed = 3,
    LockedOut = 4,
    SignOut = 5,
    TwoFactorChanged = 6,
    RolesChanged = 7,
    PasswordChanged = 8,
    Registered = 9,
    PasswordReset = 10,
    ContactVerified = 11,
    ProfileChanged = 12,
    ExternalSignIn = 15,
    ExternalLinked = 16,
    AccountDisabled = 13,
    AccountEnabled = 14,
}

/// <summary>
/// A security-relevant event on an account. Holds who (the account id, when one is known), what, when
/// and from where; never a password, a code, or what was typed as the login.
/// </summary>
internal sealed class AuditEvent
{
    public long Id { get; private set; }

    public DateTime At { get; init; }

    public AuditKind Kind { get; init; }

    public Guid? UserId { get; init; }

    /// <summary>Who did it, when someone else than the account acted on it (an administrator); null when the person did it themself or was not signed in.</summary>
    public Guid? ActorId { get; init; }

    public string? Address { get; init; }

    /// <summary>Free text for people, e.g. the roles given; nothing secret.</summary>
    public string? Detail { get; init; }
}

/// <summary>Writes audit events for the current request: when, from which address, about which account.</summary>
internal sealed class AuditLog(AppDbContext db, TimeProvider time, IHttpContextAccessor http)
{
    public async Task RecordAsync(AuditKind kind, Guid? userId, string? detail = null, CancellationToken cancellationToken = default)
    {
        Add(kind, userId, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds the event to the caller's unit of work, to be saved with the change it records.</summary>
    public void Add(AuditKind kind, Guid? userId, string? detail = null)
    {
        var actor = UserClaims.Id(http.HttpContext?.User) is { } id && id != userId ? id : (Guid?)null;
        db.AuditEvents.Add(new AuditEvent
        {
            At = time.GetUtcNow().UtcDateTime,
            Kind = kind,
            UserId = userId,
            ActorId = actor,
            Address = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            Detail = detail is { Length: > 500 } ? detail[..499] + "…" : detail,
        });
    }
}

internal sealed class AuditEventMapping : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.ToTable("AuditEvents");
        e.HasIndex(x => new { x.UserId, x.At });
        e.HasIndex(x => x.At);
        e.Property(x => x.Kind).HasConversion<int>();
        e.Property(x => x.Address).HasMaxLength(64);
        e.Property(x => x.Detail).HasMaxLength(500);
    }
}
