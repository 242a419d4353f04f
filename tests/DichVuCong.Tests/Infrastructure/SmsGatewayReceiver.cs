using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>A stand-in SMS gateway on 127.0.0.1: real HTTP, records each accepted request; told to, it answers every request with an error status instead.</summary>
internal sealed class SmsGatewayReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;

    public SmsGatewayReceiver(string apiKey)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = ServeAsync(apiKey);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/api/sms/send");

    public ConcurrentQueue<JsonElement> Received { get; } = new();

    /// <summary>When set (e.g. 500), every request is answered with this status and not recorded in <see cref="Received"/>.</summary>
    public int? FailWith { get; set; }

    /// <summary>The message id of every request that reached the gateway, accepted or not.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    private async Task ServeAsync(string apiKey)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            Seen.Enqueue(body.RootElement.TryGetProperty("id", out var id) ? id.GetString() ?? string.Empty : string.Empty);
            if (FailWith is { } status)
            {
                context.Response.StatusCode = status;
            }
            else if (context.Request.Headers["X-Api-Key"] != apiKey)
            {
                context.Response.StatusCode = 401;
            }
            else
            {
                Received.Enqueue(body.RootElement.Clone());
                context.Response.StatusCode = 202;
            }

            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        _ = serving;
    }
}
