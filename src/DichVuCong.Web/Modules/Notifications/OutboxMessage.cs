namespace DichVuCong.Web.Modules.Notifications;

internal enum MessageChannel
{
    Email = 1,
    Sms = 2,
}

internal enum DeliveryState
{
    /// <summary>Waiting for its first attempt, or for the next one after a failure.</summary>
    Queued = 0,
    Sent = 1,
    /// <summary>Every attempt failed; an officer or administrator has to look.</summary>
    GaveUp = 2,
}

/// <summary>
/// A message to deliver, written in the same transaction as the change that causes it, so a message is
/// sent if and only if that change committed. A background dispatcher delivers it, with retries.
/// </summary>
internal sealed class OutboxMessage
{
    public Guid Id { get; private set; } = Guid.NewGuid();

    public MessageChannel Channel { get; private set; }

    /// <summary>An e-mail address or a mobile number.</summary>
    public string Recipient { get; private set; } = string.Empty;

    public string? Subject { get; private set; }

    public string Body { get; private set; } = string.Empty;

    /// <summary>What the message is about, for people reading the list (e.g. "otp-dang-ky").</summary>
    public string Purpose { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public DeliveryState State { get; private set; }

    public int Attempts { get; private set; }

    public DateTime NextAttemptAt { get; private set; }

    /// <summary>While set in the future, one dispatcher owns the message; others leave it alone.</summary>
    public DateTime? ClaimedUntil { get; private set; }

    /// <summary>Which dispatcher run holds the claim: a batch is claimed in one statement, then loaded by this token.</summary>
    public Guid? ClaimToken { get; private set; }

    public DateTime? SentAt { get; private set; }

    /// <summary>How it left: "smtp", "sms-gateway", or "local" when no transport is configured.</summary>
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
        LastError = error.Length > 500 ? error[..500] : error;
        ClaimedUntil = null;
        if (Attempts >= maxAttempts)
        {
            State = DeliveryState.GaveUp;
            return;
        }

        NextAttemptAt = now + (firstDelay * Math.Pow(2, Attempts - 1));
    }
}
