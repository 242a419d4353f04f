using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>A stand-in SMS gateway on 127.0.0.1: real HTTP, records each accepted request.</summary>
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

            if (context.Request.Headers["X-Api-Key"] != apiKey)
            {
                context.Response.StatusCode = 401;
            }
            else
            {
                using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
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
