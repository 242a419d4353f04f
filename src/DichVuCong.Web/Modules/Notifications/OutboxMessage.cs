using System.Globalization;
using DichVuCong.Web.Common.Time;

namespace DichVuCong.Web.Modules.Notifications;

internal enum MessageChannel
{
    Email = 1,
    Sms = 2,
}

internal enum DeliveryState
{
    /// <summary>Waiting for its first attempt.</summary>
    Queued = 0,
    Sent = 1,
    /// <summary>Every attempt failed; an officer or administrator has to look (and may send it again).</summary>
    GaveUp = 2,
    /// <summary>An attempt failed; the next one is scheduled at <see cref="OutboxMessage.NextAttemptAt"/>.</summary>
    Failed = 3,
}

/// <summary>
/// A message to deliver, written in the same transaction as the change that causes it, so a message is
/// sent if and only if that change committed. A background dispatcher delivers it, with retries.
/// </summary>
internal sealed class OutboxMessage
{
    /// <summary>The longest error text kept, on the message and in its attempt log.</summary>
    public const int MaxError = 500;

    public Guid Id { get; private set; } = Guid.NewGuid();

    public MessageChannel Channel { get; private set; }

    /// <summary>An e-mail address or a mobile number.</summary>
    public string Recipient { get; private set; } = string.Empty;

    public string? Subject { get; private set; }

    public string Body { get; private set; } = string.Empty;

    /// <summary>What the message is about, for people reading the list (e.g. "otp-dang-ky").</summary>
    public string Purpose { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    /// <summary>Also a concurrency token: an update made from a stale read (two officers sending again at once) fails instead of sending twice.</summary>
    public DeliveryState State { get; private set; }

    /// <summary>Delivery rounds so far (one round tries every SMS provider in turn); <see cref="NotificationsOptions.MaxAttempts"/> counts these.</summary>
    public int Attempts { get; private set; }

    public DateTime NextAttemptAt { get; private set; }

    /// <summary>While set in the future, one dispatcher owns the message; others leave it alone.</summary>
    public DateTime? ClaimedUntil { get; private set; }

    /// <summary>Which dispatcher run holds the claim: a batch is claimed in one statement, then loaded by this token.</summary>
    public Guid? ClaimToken { get; private set; }

    public DateTime? SentAt { get; private set; }

    /// <summary>How it left: "smtp", the SMS provider's name ("sms-gateway" for the single configured one), or "local" when no transport is configured.</summary>
    public string? Transport { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The dossier the message is about, so officers see on the dossier what the applicant was told and whether it arrived.</summary>
    public Guid? DossierId { get; private set; }

    public static OutboxMessage Email(string to, string subject, string body, string purpose, DateTime now) =>
        new() { Channel = MessageChannel.Email, Recipient = to, Subject = subject, Body = body, Purpose = purpose, CreatedAt = now, NextAttemptAt = now };

    public static OutboxMessage Sms(string to, string text, string purpose, DateTime now) =>
        new() { Channel = MessageChannel.Sms, Recipient = to, Body = text, Purpose = purpose, CreatedAt = now, NextAttemptAt = now };

    /// <summary>Ties the message to a dossier (see <see cref="DossierId"/>).</summary>
    public OutboxMessage About(Guid dossierId)
    {
        DossierId = dossierId;
        return this;
    }

    public void MarkSent(string transport, DateTime now)
    {
        State = DeliveryState.Sent;
        Attempts++;
        SentAt = now;
        Transport = transport;
        ClaimedUntil = null;
        LastError = null;
    }

    /// <summary>Schedules another attempt with exponential backoff, or gives up after the last one.</summary>
    public void MarkFailed(string error, DateTime now, int maxAttempts, TimeSpan firstDelay)
    {
        Attempts++;
        LastError = Clip(error);
        ClaimedUntil = null;
        if (Attempts >= maxAttempts)
        {
            State = DeliveryState.GaveUp;
            return;
        }

        State = DeliveryState.Failed;
        NextAttemptAt = now + (firstDelay * Math.Pow(2, Attempts - 1));
    }

    /// <summary>
    /// "Gửi lại": a message that was given up goes back to the queue with a fresh set of attempts (its attempt
    /// log keeps the earlier ones). False when it was not given up, e.g. someone already sent it again.
    /// </summary>
    public bool Requeue(DateTime now)
    {
        if (State != DeliveryState.GaveUp)
        {
            return false;
        }

        State = DeliveryState.Queued;
        Attempts = 0;
        NextAttemptAt = now;
        ClaimedUntil = null;
        return true;
    }

    public static string Clip(string error) => error.Length > MaxError ? error[..MaxError] : error;
}

/// <summary>
/// One try to hand a message to one transport or SMS provider, written by the dispatcher in the same save as
/// the message's new state, so officers see what happened (e.g. "sms-a lỗi → sms-b đã gửi"). Holds no
/// recipient and no text: those stay on the message.
/// </summary>
internal sealed class DeliveryAttempt
{
    public long Id { get; private set; }

    public Guid MessageId { get; private set; }

    public DateTime At { get; private set; }

    /// <summary>"smtp", an SMS provider's name, or "local".</summary>
    public string Transport { get; private set; } = string.Empty;

    public bool Succeeded { get; private set; }

    public string? Error { get; private set; }

    public static DeliveryAttempt Of(Guid messageId, string transport, DateTime at, string? error) =>
        new() { MessageId = messageId, Transport = transport, At = at, Succeeded = error is null, Error = error is null ? null : OutboxMessage.Clip(error) };
}

/// <summary>
/// The delivery states as people and API callers see them, in one place: queued, sent, failed (will retry),
/// retried (sent after more than one round), gave_up.
/// </summary>
internal static class DeliveryStates
{
    public static string Code(OutboxMessage m) => m.State switch
    {
        DeliveryState.Sent => m.Attempts > 1 ? "retried" : "sent",
        DeliveryState.GaveUp => "gave_up",
        DeliveryState.Failed => "failed",
        _ => "queued",
    };

    public static string Label(OutboxMessage m) => m.State switch
    {
        DeliveryState.Sent => m.Attempts > 1 ? $"Đã gửi sau {m.Attempts} lần thử" : "Đã gửi",
        DeliveryState.GaveUp => $"Đã ngừng gửi sau {m.Attempts} lần thử",
        DeliveryState.Failed => "Gửi lỗi, sẽ thử lại lúc " + VietnamTime.ToLocal(m.NextAttemptAt).ToString("HH:mm", CultureInfo.InvariantCulture),
        _ => "Đang chờ gửi",
    };
}
