using System.ComponentModel.DataAnnotations;

namespace DichVuCong.Web.Modules.Notifications;

internal sealed class NotificationsOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How often the dispatcher looks for due messages when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the second attempt; each later one waits twice as long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    public SmtpOptions Smtp { get; set; } = new();

    public SmsGatewayOptions Sms { get; set; } = new();
}

/// <summary>The mail server. With no host (the default) mail is kept locally, listed for administrators.</summary>
internal sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>STARTTLS on submission ports; a credential is never sent in clear to a remote server.</summary>
    public bool UseStartTls { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [EmailAddress]
    public string From { get; set; } = "no-reply@dichvucong.local";

    public string FromName { get; set; } = "Cổng Dịch vụ công";
}

/// <summary>An HTTP SMS gateway (brandname SMS). With no URL (the default) texts are kept locally.</summary>
internal sealed class SmsGatewayOptions
{
    public Uri? Url { get; set; }

    public string Brandname { get; set; } = "DICHVUCONG";

    public string? ApiKey { get; set; }
}
