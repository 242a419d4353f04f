using System.ComponentModel.DataAnnotations;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Accounts.ReviewAudit;

/// <summary>
/// <c>/quan-tri/nhat-ky</c> (Nhật ký tài khoản): the newest security events — sign-ins and failures, lockouts, password,
/// second-factor and role changes, accounts disabled — for system administrators, who answer "someone got into my
/// account" and look into repeated failures. One account at a time by what it signs in with (<c>?tai-khoan=</c>), or
/// one kind of event. Events hold no password, code or typed login (<see cref="AuditEvent"/>).
/// </summary>
[Authorize(Policy = Policies.SystemAdmin)]
internal sealed class AuditLogPageModel(AppDbContext db, UserManager<AppUser> users, IOptions<AuditRetentionOptions> retention) : PageModel
{
    public const int PageSize = 100;

    public sealed record Row(DateTime At, AuditKind Kind, string? Account, string? Actor, string? Address, string? Detail);

    public IReadOnlyList<Row> Events { get; private set; } = [];

    [FromQuery(Name = "tai-khoan")]
    public string? Account { get; set; }

    [FromQuery(Name = "loai")]
    public AuditKind? Kind { get; set; }

    /// <summary>Set when <see cref="Account"/> names no account.</summary>
    public bool Unknown { get; private set; }

    public int RetentionDays => retention.Value.RetentionDays;

    public static string Label(AuditKind kind) => kind switch
    {
        AuditKind.SignIn => "Đăng nhập",
        AuditKind.SignInFailed => "Đăng nhập không thành công",
        AuditKind.SecondFactorFailed => "Sai mã xác thực hai bước",
        AuditKind.LockedOut => "Tạm khóa do nhập sai nhiều lần",
        AuditKind.SignOut => "Đăng xuất",
        AuditKind.TwoFactorChanged => "Đổi xác thực hai bước",
        AuditKind.RolesChanged => "Đổi vai trò, cơ quan",
        AuditKind.PasswordChanged => "Đổi mật khẩu",
        AuditKind.Registered => "Đăng ký tài khoản",
        AuditKind.PasswordReset => "Đặt lại mật khẩu",
        AuditKind.ContactVerified => "Xác minh email, số điện thoại",
        AuditKind.ProfileChanged => "Sửa thông tin cá nhân",
        AuditKind.ExternalSignIn => "Đăng nhập qua VNeID",
        AuditKind.ExternalLinked => "Liên kết VNeID",
        AuditKind.AccountDisabled => "Khóa tài khoản",
        AuditKind.AccountEnabled => "Mở khóa tài khoản",
        _ => kind.ToString(),
    };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Account = string.IsNullOrWhiteSpace(Account) ? null : Account.Trim();
        var events = db.AuditEvents.AsNoTracking();
        if (Account is not null)
        {
            var user = await users.FindByLoginAsync(Account, cancellationToken);
            Unknown = user is null;
            var id = user?.Id ?? Guid.Empty;
            events = events.Where(e => e.UserId == id);
        }

        if (Kind is { } kind && Enum.IsDefined(kind))
        {
            events = events.Where(e => e.Kind == kind);
        }
        else
        {
            Kind = null;
        }

        var page = await events.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(PageSize).ToListAsync(cancellationToken);
        var ids = page.SelectMany(e => new[] { e.UserId, e.ActorId }).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => $"{u.FullName} ({u.UserName})", cancellationToken);
        Events = [.. page.Select(e => new Row(e.At, e.Kind, Name(e.UserId), Name(e.ActorId), e.Address, e.Detail))];

        string? Name(Guid? id) => id is { } value ? names.GetValueOrDefault(value, "(tài khoản đã xóa)") : null;
    }
}

internal sealed class AuditRetentionOptions
{
    public const string SectionName = "Audit";

    /// <summary>How long account events are kept; 0 keeps them for ever.</summary>
    [Range(0, 36_500)]
    public int RetentionDays { get; set; } = 730;
}

/// <summary>
/// Deletes account events older than <see cref="AuditRetentionOptions.RetentionDays"/> (two years by default), once a
/// day, so the log answers questions about the last two years without growing for ever. One conditional delete on the
/// indexed time column: safe with several instances.
/// </summary>
internal sealed partial class AuditRetention(IServiceScopeFactory scopes, IOptions<AuditRetentionOptions> options, TimeProvider time, ILogger<AuditRetention> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromDays(1);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (options.Value.RetentionDays == 0)
        {
            return 0;
        }

        var before = Time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditEvents.Where(e => e.At < before).ExecuteDeleteAsync(cancellationToken);
    }

    protected override async Task<string?> RunPassAsync(CancellationToken cancellationToken) =>
        await RunOnceAsync(cancellationToken) is > 0 and var deleted ? $"{deleted} account events older than {options.Value.RetentionDays} days deleted" : null;
}
