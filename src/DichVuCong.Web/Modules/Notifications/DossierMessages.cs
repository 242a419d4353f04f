using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Notifications;

/// <summary>
/// A message about a dossier as officers see it (page and API alike): the recipient masked, the state as a code
/// (queued, sent, failed, retried, gave_up) and a Vietnamese label, and every try with its transport or provider.
/// </summary>
internal sealed record DossierMessageView(
    Guid Id, DateTime CreatedAt, string Channel, string Recipient, string? Subject, string Purpose, string State, string StateLabel,
    int Attempts, string? Transport, string? LastError, DateTime? SentAt, DateTime? NextAttemptAt, bool CanResend, IReadOnlyList<DeliveryTryView> Tries);

internal sealed record DeliveryTryView(DateTime At, string Transport, bool Succeeded, string? Error);

/// <summary>
/// What the applicant was told about a dossier and whether it arrived, and "Gửi lại" for a message given up.
/// The caller checks first that the officer may see the dossier.
/// </summary>
internal static class DossierMessages
{
    /// <summary>The dossier's messages, newest first.</summary>
    public static async Task<IReadOnlyList<DossierMessageView>> ForAsync(AppDbContext db, Guid dossierId, CancellationToken cancellationToken)
    {
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => m.DossierId == dossierId)
            .OrderByDescending(m => m.CreatedAt).ToListAsync(cancellationToken);
        var ids = messages.Select(m => m.Id).ToList();
        var tries = (await db.Set<DeliveryAttempt>().AsNoTracking().Where(a => ids.Contains(a.MessageId)).ToListAsync(cancellationToken))
            .OrderBy(a => a.At).ThenBy(a => a.Id).ToLookup(a => a.MessageId);
        return [.. messages.Select(m => new DossierMessageView(
            m.Id, m.CreatedAt, m.Channel == MessageChannel.Sms ? "sms" : "email",
            m.Channel == MessageChannel.Sms ? Contacts.MaskPhone(m.Recipient) : Contacts.MaskEmail(m.Recipient),
            m.Subject, m.Purpose, DeliveryStates.Code(m), DeliveryStates.Label(m), m.Attempts, m.Transport, m.LastError, m.SentAt,
            m.State == DeliveryState.Failed ? m.NextAttemptAt : null, m.State == DeliveryState.GaveUp,
            [.. tries[m.Id].Select(a => new DeliveryTryView(a.At, a.Transport, a.Succeeded, a.Error))]))];
    }

    /// <summary>Puts a given-up message of the dossier back in the queue; false when there is none such (already sent again, or not this dossier's).</summary>
    public static async Task<bool> ResendAsync(AppDbContext db, Guid dossierId, Guid messageId, DateTime now, CancellationToken cancellationToken)
    {
        var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == messageId && m.DossierId == dossierId, cancellationToken);
        if (message is null || !message.Requeue(now))
        {
            return false;
        }

        try
        {
            // The state is a concurrency token: of two officers pressing "Gửi lại" at once, one re-queues it.
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }
}
