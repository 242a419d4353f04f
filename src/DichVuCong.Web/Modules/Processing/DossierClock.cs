using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Notifications;
using DichVuCong.Web.Modules.Processing.DueDates;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing;

/// <summary>
/// What other modules ask of processing about one dossier: how much working time is left, and the applicant's
/// resubmission after a supplement request (the clock resumes, the due dates move by the paused working time,
/// the officers are told). The citizen's pages and API call it.
/// </summary>
internal sealed class DossierClock(AppDbContext db, WorkingCalendars calendars, DossierProcessing processing, Workflows.Processes processes, TimeProvider time)
{
    /// <summary>"còn 2 ngày 3 giờ làm việc", "quá hạn …", or null when no clock runs (not received, paused, finished).</summary>
    public Task<string?> RemainingAsync(Dossier dossier, CancellationToken cancellationToken) =>
        RemainingAsync(dossier.AgencyId, dossier.Status, dossier.DueAt, dossier.ClockPausedAt, cancellationToken);

    /// <summary>The same for a dossier read as a row of a list (its agency, status, due date and pause).</summary>
    public async Task<string?> RemainingAsync(int agencyId, DossierStatus status, DateTime? dueAt, DateTime? clockPausedAt, CancellationToken cancellationToken)
    {
        if (dueAt is not { } due || clockPausedAt is not null || !Dossier.Active.Contains(status))
        {
            return null;
        }

        var calendar = await calendars.ForAgencyAsync(agencyId, cancellationToken);
        return calendar.RemainingText(time.GetUtcNow(), DossierProcessing.Local(due));
    }

    /// <summary>Who holds the dossier now, in words for the applicant ("Công chức tư pháp – hộ tịch …"); null once finished or before it is sent.</summary>
    public async Task<string?> HeldByAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        if (dossier.Status is not (DossierStatus.Submitted or DossierStatus.Received or DossierStatus.Processing or DossierStatus.ResultReady))
        {
            return null;
        }

        var process = await processes.ForAsync(dossier, cancellationToken);
        return process is null ? null : (process.Step(dossier.CurrentStep) ?? process.FirstStep).Name;
    }

    /// <summary>The applicant sends what was asked for; false when the dossier no longer waits for a supplement.</summary>
    public async Task<bool> ResubmitAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        if (dossier.WhyNot(WorkflowAction.Resubmit) is not null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var (due, stepDue) = await ResumedAsync(dossier, now, cancellationToken);
        dossier.Resubmit(dossier.OwnerId, now.UtcDateTime, due, stepDue);
        await TellOfficersAsync(dossier, now.UtcDateTime, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }

        return true;
    }

    /// <summary>The fee is paid: a dossier that waited for it goes on, its due dates moved by the waiting working time. The caller saves.</summary>
    public async Task MarkPaidAsync(Dossier dossier, string note, DateTime utcNow, CancellationToken cancellationToken)
    {
        var now = new DateTimeOffset(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc));
        var (due, stepDue) = dossier.Status == DossierStatus.AwaitingPayment ? await ResumedAsync(dossier, now, cancellationToken) : (null, null);
        dossier.MarkPaid(now.UtcDateTime, note, due, stepDue);
    }

    /// <summary>The due dates once a stopped clock runs again from <paramref name="now"/>; nulls when it was not stopped.</summary>
    private async Task<(DateTime? Due, DateTime? StepDue)> ResumedAsync(Dossier dossier, DateTimeOffset now, CancellationToken cancellationToken) =>
        dossier.ClockPausedAt is null ? (null, null) : Resumed(dossier, await calendars.ForAgencyAsync(dossier.AgencyId, cancellationToken), now);

    /// <summary>The same with the agency's calendar at hand (the post action with cash on delivery).</summary>
    internal static (DateTime? Due, DateTime? StepDue) Resumed(Dossier dossier, WorkingCalendar calendar, DateTimeOffset now)
    {
        if (dossier.ClockPausedAt is not { } paused)
        {
            return (null, null);
        }

        // Whole minutes, as due dates are: a pause of a few seconds must not push a 17:00 due date past closing time.
        var pausedAt = Minute(DossierProcessing.Local(paused));
        now = Minute(now);
        return (
            dossier.DueAt is { } d ? calendar.Resume(DossierProcessing.Local(d), pausedAt, now).UtcDateTime : null,
            dossier.StepDueAt is { } s ? calendar.Resume(DossierProcessing.Local(s), pausedAt, now).UtcDateTime : null);
    }

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Ticks - (at.Ticks % TimeSpan.TicksPerMinute), at.Offset);

    /// <summary>The officer who asked for the supplement, or failing that the reception officers of the agency.</summary>
    private async Task TellOfficersAsync(Dossier dossier, DateTime now, CancellationToken cancellationToken)
    {
        var asker = dossier.Actions.Where(a => a.Action == WorkflowAction.RequestSupplement).OrderByDescending(a => a.At).Select(a => (Guid?)a.ActorId).FirstOrDefault();
        var ids = asker is { } id ? [id] : (await processing.OfficersAsync(dossier.AgencyId, Accounts.Roles.Reception, cancellationToken)).Select(o => o.Id).ToList();
        var emails = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id) && u.Email != null).Select(u => u.Email!).ToListAsync(cancellationToken);
        foreach (var email in emails)
        {
            db.OutboxMessages.Add(OutboxMessage.Email(email, $"Hồ sơ {dossier.Code} đã được bổ sung",
                $"Công dân đã gửi bổ sung hồ sơ {dossier.Code} lúc {Formats.DateTime(now)}." + (dossier.DueAt is { } due ? $" Ngày hẹn trả: {Formats.DateTime(due)}." : string.Empty) + $"\nXem hồ sơ tại /can-bo/ho-so/{dossier.Id}.",
                "ho-so-bo-sung", now));
        }
    }
}
