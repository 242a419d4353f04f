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

    /// <summary>The name recorded on the message: "smtp", "sms-gateway" or "local".</summary>
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
/// Texts through an HTTP SMS gateway: POST {brandname, to, text, id} as JSON with the key in
/// X-Api-Key; any 2xx means accepted. The message id lets the gateway drop a retried duplicate.
/// </summary>
internal sealed class HttpSmsTransport(HttpClient http, IOptions<NotificationsOptions> options) : IMessageTransport
{
    public MessageChannel Channel => MessageChannel.Sms;

    public string Name => "sms-gateway";

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var gateway = options.Value.Sms;
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url)
        {
            Content = JsonContent.Create(new SmsGatewayRequest(gateway.Brandname, message.Recipient, message.Body, message.Id.ToString("N"))),
        };
        if (!string.IsNullOrEmpty(gateway.ApiKey))
        {
            request.Headers.Add("X-Api-Key", gateway.ApiKey);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"SMS gateway answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
    }
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
