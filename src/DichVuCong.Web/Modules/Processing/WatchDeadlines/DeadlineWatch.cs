using System.ComponentModel.DataAnnotations;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using DichVuCong.Web.Modules.Processing.DueDates;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Processing.WatchDeadlines;

internal sealed class DeadlineWatchOptions
{
    public const string SectionName = "Processing:Deadlines";

    /// <summary>How often running dossiers are checked against their due dates.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>What one pass did.</summary>
internal sealed record DeadlinePass(int DueSoon, int Overdue);

/// <summary>
/// Nothing is late without someone being told (issue 5.6). Each pass, for running dossiers (received, clock not
/// paused, not finished): one due within a working day is flagged to the officer holding it (or, with nobody
/// named, to the officers of its step's role) once per Vietnam-time day; one past its due date is marked overdue
/// and its officer and the agency's leaders are told, once. Each mark is claimed by a conditional update in the
/// transaction that queues the e-mails, so several instances tell people once.
/// </summary>
internal sealed partial class DeadlineWatch(IServiceScopeFactory scopes, IOptions<DeadlineWatchOptions> options, TimeProvider time, ILogger<DeadlineWatch> logger) : PeriodicJob(time, logger)
{
    public async Task<DeadlinePass> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var calendars = scope.ServiceProvider.GetRequiredService<WorkingCalendars>();
        var processing = scope.ServiceProvider.GetRequiredService<DossierProcessing>();
        var now = Time.GetUtcNow();
        var today = VietnamTime.Today(Time);
        var calendar = await calendars.ForAgencyAsync(0, cancellationToken);
        // A working day ahead; a dossier due later is not "due soon" yet.
        var soon = calendar.AddWorkingTime(now, TimeSpan.FromHours(8)).UtcDateTime;
        var at = now.UtcDateTime;

        var candidates = await db.Dossiers.AsNoTracking().Where(Dossier.Running)
            .Where(d => (d.DueAt < at && d.OverdueAt == null) || (d.DueAt >= at && d.DueAt <= soon && (d.DueSoonWarnedOn == null || d.DueSoonWarnedOn < today)))
            .Select(d => new { d.Id, d.Code, d.AgencyId, d.DueAt, d.AssignedToId, d.CurrentRole })
            .ToListAsync(cancellationToken);
        int dueSoon = 0, overdue = 0;
        foreach (var d in candidates)
        {
            var late = d.DueAt < at;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = late
                ? await db.Dossiers.Where(x => x.Id == d.Id && x.OverdueAt == null && x.DueAt < at).Where(Dossier.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.OverdueAt, at), cancellationToken)
                : await db.Dossiers.Where(x => x.Id == d.Id && (x.DueSoonWarnedOn == null || x.DueSoonWarnedOn < today)).Where(Dossier.Running)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.DueSoonWarnedOn, today), cancellationToken);
            if (claimed == 0)
            {
                continue;
            }

            var holders = d.AssignedToId is { } officer ? [officer]
                : (await processing.OfficersAsync(d.AgencyId, d.CurrentRole ?? Roles.Reception, cancellationToken)).Select(o => o.Id).ToList();
            var told = late ? holders.Concat((await processing.OfficersAsync(d.AgencyId, Roles.Leader, cancellationToken)).Select(o => o.Id)).Distinct().ToList() : holders;
            var emails = await db.Users.AsNoTracking().Where(u => told.Contains(u.Id) && u.Email != null).Select(u => u.Email!).ToListAsync(cancellationToken);
            var due = Formats.DateTime(d.DueAt!.Value);
            foreach (var email in emails)
            {
                db.OutboxMessages.Add(late
                    ? OutboxMessage.Email(email, $"Hồ sơ {d.Code} đã quá hạn", $"Hồ sơ {d.Code} đã quá hạn giải quyết (hạn {due}).\nNếu chưa trả được kết quả, cơ quan phải gửi văn bản xin lỗi và hẹn lại ngày trả (Mẫu 04) trước khi trả.\nXem hồ sơ tại /can-bo/ho-so/{d.Id}.", "ho-so-qua-han", at)
                    : OutboxMessage.Email(email, $"Hồ sơ {d.Code} đến hạn trong 1 ngày làm việc", $"Hồ sơ {d.Code} đến hạn giải quyết lúc {due} ({calendar.RemainingText(now, DossierProcessing.Local(d.DueAt!.Value))}).\nXem hồ sơ tại /can-bo/ho-so/{d.Id}.", "ho-so-sap-den-han", at));
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            if (late)
            {
                overdue++;
            }
            else
            {
                dueSoon++;
            }
        }

        return new DeadlinePass(dueSoon, overdue);
    }

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task<string?> RunPassAsync(CancellationToken cancellationToken) =>
        await RunOnceAsync(cancellationToken) is { } pass && pass.DueSoon + pass.Overdue > 0
            ? $"{pass.DueSoon} dossiers due within a working day flagged, {pass.Overdue} marked overdue." : null;
}
