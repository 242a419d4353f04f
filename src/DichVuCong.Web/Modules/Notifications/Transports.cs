using System.Collections.Concurrent;
using System.Net.Http.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DichVuCong.Web.Modules.Notifications;

/// <summary>Delivers one message over one channel; throws when the other side did not accept it.</summary>
internal interface IMessageTransport
{
    MessageChannel Channel { get; }

    /// <summary>The name recorded on the message and its attempts: "smtp", an SMS provider's name or "local".</summary>
    string Name { get; }

    Task SendAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>E-mail over SMTP with MailKit; STARTTLS before any credential leaves the machine.</summary>
internal sealed class SmtpTransport(IOptions<NotificationsOptions> options) : IMessageTransport
{
    public MessageChannel Channel => MessageChannel.Email;

    public string Name => "smtp";

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        mail.To.Add(MailboxAddress.Parse(message.Recipient));
        mail.Subject = message.Subject ?? string.Empty;
        mail.MessageId = $"{message.Id:N}@dichvucong";
        mail.Body = new TextPart("plain") { Text = message.Body };

        using var client = new SmtpClient();
        var security = smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None;
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(mail, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>
/// Texts through one HTTP SMS provider: POST {brandname, to, text, id} as JSON with the key in X-Api-Key;
/// any 2xx means accepted. The message id lets the provider drop a retried duplicate. One instance per
/// provider and send; each outcome is told to <see cref="SmsProviderHealth"/>.
/// </summary>
internal sealed class HttpSmsTransport(HttpClient http, SmsProviderOptions provider, SmsProviderHealth health) : IMessageTransport
{
    /// <summary>The named <see cref="HttpClient"/> every provider shares.</summary>
    public const string ClientName = "sms";

    public MessageChannel Channel => MessageChannel.Sms;

    public string Name => provider.Name;

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, provider.Url)
        {
            Content = JsonContent.Create(new SmsGatewayRequest(provider.Brandname ?? string.Empty, message.Recipient, message.Body, message.Id.ToString("N"))),
        };
        if (!string.IsNullOrEmpty(provider.ApiKey))
        {
            request.Headers.Add("X-Api-Key", provider.ApiKey);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Nhà cung cấp SMS trả lời {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            health.Failed(provider.Name);
            throw;
        }

        health.Succeeded(provider.Name);
    }
}

/// <summary>
/// Which SMS providers failed lately, in this portal instance: such a provider is tried after the others for
/// <see cref="SmsGatewayOptions.Cooldown"/>, so a dead one does not hold up every text, yet a text is never
/// given up on without trying every provider. Safe with concurrent sends; the last outcome wins.
/// </summary>
internal sealed class SmsProviderHealth(IOptions<NotificationsOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> coolingUntil = new(StringComparer.OrdinalIgnoreCase);

    public bool Cooling(string provider) => coolingUntil.TryGetValue(provider, out var until) && until > time.GetUtcNow();

    public void Failed(string provider) => coolingUntil[provider] = time.GetUtcNow() + options.Value.Sms.Cooldown;

    public void Succeeded(string provider) => coolingUntil.TryRemove(provider, out _);
}

internal sealed record SmsGatewayRequest(string Brandname, string To, string Text, string Id);

/// <summary>
/// No transport configured for the channel (the default on a fresh machine): the message counts as
/// delivered to the portal's own list, where an administrator or a demo user can read it.
/// </summary>
internal sealed class LocalTransport(MessageChannel channel) : IMessageTransport
{
    public MessageChannel Channel => channel;

    public string Name => "local";

    public Task SendAsync(OutboxMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
}
