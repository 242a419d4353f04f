using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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

/// <summary>
/// HTTP SMS gateways (brandname SMS), tried in order until one accepts. With none configured (the default)
/// texts are kept locally. The single <see cref="Url"/> of earlier configurations is the first provider.
/// </summary>
internal sealed class SmsGatewayOptions
{
    /// <summary>The provider name of <see cref="Url"/>, recorded on the messages it sends.</summary>
    public const string SingleGatewayName = "sms-gateway";

    public Uri? Url { get; set; }

    /// <summary>The sender name, for <see cref="Url"/> and for every provider that does not set its own.</summary>
    public string Brandname { get; set; } = "DICHVUCONG";

    public string? ApiKey { get; set; }

    /// <summary>Further providers, in the order they are tried (after <see cref="Url"/> when it is set).</summary>
    public List<SmsProviderOptions> Providers { get; set; } = [];

    /// <summary>How long a provider that failed goes to the back of the line, so a dead one does not slow every text.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Every provider in the order they are tried, with the brandname filled in.</summary>
    public IReadOnlyList<SmsProviderOptions> InOrder()
    {
        var single = Url is null ? [] : new[] { new SmsProviderOptions { Name = SingleGatewayName, Url = Url, ApiKey = ApiKey } };
        return [.. single.Concat(Providers).Select(p => new SmsProviderOptions { Name = p.Name, Url = p.Url, ApiKey = p.ApiKey, Brandname = p.Brandname ?? Brandname })];
    }
}

/// <summary>One SMS provider speaking the gateway protocol of <see cref="HttpSmsTransport"/>.</summary>
internal sealed class SmsProviderOptions
{
    /// <summary>Recorded on each message and attempt (at most 30 characters), e.g. "viettel".</summary>
    public string Name { get; set; } = string.Empty;

    public Uri? Url { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Null: the section's <see cref="SmsGatewayOptions.Brandname"/>.</summary>
    public string? Brandname { get; set; }
}

/// <summary>Refuses to start with an SMS provider the portal could not use: no name, a name used twice, no URL.</summary>
internal sealed class SmsProvidersValidation : IValidateOptions<NotificationsOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationsOptions options)
    {
        var sms = options.Sms;
        var errors = new List<string>();
        if (sms.Cooldown < TimeSpan.Zero || sms.Cooldown > TimeSpan.FromHours(1))
        {
            errors.Add("Notifications:Sms:Cooldown phải từ 00:00:00 đến 01:00:00.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (provider, i) in sms.InOrder().Select((p, i) => (p, i)))
        {
            var where = sms.Url is null ? $"Notifications:Sms:Providers:{i}" : i == 0 ? "Notifications:Sms:Url" : $"Notifications:Sms:Providers:{i - 1}";
            if (string.IsNullOrWhiteSpace(provider.Name) || provider.Name.Length > 30)
            {
                errors.Add($"{where}: cần Name, tối đa 30 ký tự.");
            }
            else if (!seen.Add(provider.Name))
            {
                errors.Add($"{where}: tên nhà cung cấp “{provider.Name}” bị trùng.");
            }

            if (provider.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{where}: cần Url đầy đủ (http:// hoặc https://).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
