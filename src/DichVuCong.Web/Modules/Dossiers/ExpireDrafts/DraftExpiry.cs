using DichVuCong.Web.Common.Time;
using System.ComponentModel.DataAnnotations;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Dossiers.MyDossiers;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Dossiers.ExpireDrafts;

internal sealed class DraftExpiryOptions
{
    public const string SectionName = "Dossiers:Drafts";

    /// <summary>How often drafts are checked for the expiry warning and for deletion.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>What one pass did.</summary>
internal sealed record DraftExpiryPass(int Warned, int Deleted);

/// <summary>
/// Drafts are kept <see cref="MyDossiersPageModel.DraftLifetime"/> after their last change (SPEC §3.3). Each pass
/// warns the owner (e-mail, and SMS to a verified phone) of drafts that have <see cref="WarningBefore"/> left, and
/// deletes drafts past their lifetime whose owner was warned at least <see cref="WarningBefore"/> earlier, so a
/// draft is never deleted unwarned and a late warning still gives its full three days. A change after the warning
/// (<see cref="Dossier.Touch"/>) starts over. Safe with several instances: the warning is claimed by a conditional
/// update in the transaction that queues the messages, and the delete is conditional too.
/// </summary>
internal sealed partial class DraftExpiry(
    IServiceScopeFactory scopes, IFileStore files, IOptions<DraftExpiryOptions> options, TimeProvider time, ILogger<DraftExpiry> logger) : PeriodicJob(time, logger)
{
    public static readonly TimeSpan WarningBefore = TimeSpan.FromDays(3);

    private const int BatchSize = 100;

    public async Task<DraftExpiryPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var warned = 0;
        int found;
        do
        {
            (found, var done) = await WarnBatchAsync(cancellationToken);
            warned += done;
        }
        while (found == BatchSize);

        var deleted = 0;
        do
        {
            (found, var done) = await DeleteBatchAsync(cancellationToken);
            deleted += done;
        }
        while (found == BatchSize);

        return new DraftExpiryPass(warned, deleted);
    }

    private async Task<(int Found, int Warned)> WarnBatchAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var due = now - (MyDossiersPageModel.DraftLifetime - WarningBefore);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var drafts = await db.Dossiers.AsNoTracking().Where(Dossier.UnwarnedDraft).Where(d => d.UpdatedAt < due)
            .OrderBy(d => d.UpdatedAt).Take(BatchSize)
            .Select(d => new { d.Id, d.OwnerId, d.ProcedureId, d.UpdatedAt })
            .ToListAsync(cancellationToken);
        if (drafts.Count == 0)
        {
            return (0, 0);
        }

        var ownerIds = drafts.Select(d => d.OwnerId).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
            .Select(u => new { u.Id, u.FullName, u.Email, u.EmailConfirmed, u.PhoneNumber, u.PhoneNumberConfirmed })
            .ToDictionaryAsync(u => u.Id, cancellationToken);
        var procedureIds = drafts.Select(d => d.ProcedureId).Distinct().ToList();
        var procedures = await db.Procedures.AsNoTracking().Where(p => procedureIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);

        var warned = 0;
        foreach (var draft in drafts)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The claim: only one instance sets the mark, and not if the owner changed the draft meanwhile.
            var claimed = await db.Dossiers.Where(d => d.Id == draft.Id && d.UpdatedAt < due).Where(Dossier.UnwarnedDraft)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.DraftWarnedAt, now), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var owner = owners[draft.OwnerId];
            var deleteOn = Formats.Date(Max(draft.UpdatedAt + MyDossiersPageModel.DraftLifetime, now + WarningBefore));
            var procedure = procedures.GetValueOrDefault(draft.ProcedureId, "thủ tục hành chính");
            var link = $"/nop-ho-so/{draft.Id}/nguoi-nop";
            if (owner.Email is { } email && owner.EmailConfirmed)
            {
                db.OutboxMessages.Add(OutboxMessage.Email(
                    email,
                    "Hồ sơ nháp sắp bị xóa",
                    $"Xin chào {owner.FullName},\n\nHồ sơ nháp “{procedure}” (lưu lần cuối lúc {Formats.DateTime(draft.UpdatedAt)}) sẽ bị xóa vào ngày {deleteOn} nếu bạn không tiếp tục.\n"
                        + $"Để giữ hồ sơ, hãy tiếp tục khai tại {link} trên Cổng Dịch vụ công. Hồ sơ nháp được giữ {MyDossiersPageModel.DraftLifetime.Days} ngày kể từ lần thay đổi cuối.",
                    "nhac-xoa-ho-so-nhap",
                    now));
            }

            if (owner.PhoneNumber is { } phone && owner.PhoneNumberConfirmed)
            {
                db.OutboxMessages.Add(OutboxMessage.Sms(phone, $"Cong DVC: Ho so nhap cua ban se bi xoa vao ngay {deleteOn} neu ban khong tiep tuc. Tiep tuc tai muc Ho so cua toi.", "nhac-xoa-ho-so-nhap", now));
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            warned++;
        }

        return (drafts.Count, warned);
    }

    private async Task<(int Found, int Deleted)> DeleteBatchAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var expired = now - MyDossiersPageModel.DraftLifetime;
        var warnedBy = now - WarningBefore;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Warned since the last change, and long enough ago; an unwarned draft waits for its warning whatever its age.
        IQueryable<Dossier> Expired() => db.Dossiers.Where(d => d.Status == DossierStatus.Draft && d.UpdatedAt < expired
            && d.DraftWarnedAt != null && d.DraftWarnedAt >= d.UpdatedAt && d.DraftWarnedAt <= warnedBy);
        var ids = await Expired().OrderBy(d => d.UpdatedAt).Take(BatchSize).Select(d => d.Id).ToListAsync(cancellationToken);
        var deleted = 0;
        foreach (var id in ids)
        {
            var paths = await db.DossierFiles.Where(f => f.DossierId == id).Select(f => f.StoragePath).ToListAsync(cancellationToken);
            // Rows first (files and events go with the dossier); a draft changed meanwhile no longer matches and stays.
            if (await Expired().Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                continue;
            }

            deleted++;
            foreach (var path in paths)
            {
                await files.DeleteOrLeaveToSweeperAsync(path, logger);
            }
        }

        return (ids.Count, deleted);
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;


    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override async Task<string?> RunPassAsync(CancellationToken cancellationToken) =>
        await RunOnceAsync(cancellationToken) is { } pass && pass.Warned + pass.Deleted > 0
            ? $"warned the owners of {pass.Warned} drafts, deleted {pass.Deleted} expired drafts." : null;

}

internal static class DraftExpiryRegistration
{
    public static IServiceCollection AddDraftExpiry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DraftExpiryOptions>().Bind(configuration.GetSection(DraftExpiryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<DraftExpiry>();
        return services;
    }
}
