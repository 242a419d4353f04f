using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>
/// A tiny S3-compatible server on 127.0.0.1 for tests: PUT, GET, HEAD and DELETE of objects and ListObjectsV2,
/// path-style, in memory. It refuses a request not signed with AWS4-HMAC-SHA256 for its access key, or whose
/// x-amz-content-sha256 does not match the body, as S3 would.
/// </summary>
internal sealed class S3Sandbox : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public S3Sandbox(string bucket, string accessKey)
    {
        Bucket = bucket;
        AccessKey = accessKey;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public string Bucket { get; }

    public string AccessKey { get; }

    public ConcurrentDictionary<string, (byte[] Bytes, DateTime Modified)> Objects { get; } = new(StringComparer.Ordinal);

    public int Refused;

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await HandleAsync(context.Request, context.Response);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task HandleAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var bytes = body.ToArray();
        var authorization = request.Headers["Authorization"] ?? string.Empty;
        var contentHash = request.Headers["x-amz-content-sha256"];
        if (!authorization.StartsWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/", StringComparison.Ordinal)
            || !authorization.Contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=", StringComparison.Ordinal)
            || request.Headers["x-amz-date"] is null
            || contentHash != Convert.ToHexStringLower(SHA256.HashData(bytes)))
        {
            Interlocked.Increment(ref Refused);
            await ErrorAsync(response, 403, "SignatureDoesNotMatch");
            return;
        }

        var path = request.Url!.AbsolutePath;
        var prefix = "/" + Bucket;
        if (path == prefix || path == prefix + "/")
        {
            if (request.HttpMethod == "GET" && request.QueryString["list-type"] == "2")
            {
                await ListAsync(request.QueryString["prefix"] ?? string.Empty, response);
                return;
            }

            await ErrorAsync(response, 400, "InvalidRequest");
            return;
        }

        if (!path.StartsWith(prefix + "/", StringComparison.Ordinal))
        {
            await ErrorAsync(response, 404, "NoSuchBucket");
            return;
        }

        var key = Uri.UnescapeDataString(path[(prefix.Length + 1)..]);
        switch (request.HttpMethod)
        {
            case "PUT":
                Objects[key] = (bytes, DateTime.UtcNow);
                response.StatusCode = 200;
                break;
            case "GET" or "HEAD" when Objects.TryGetValue(key, out var found):
                response.StatusCode = 200;
                response.ContentLength64 = found.Bytes.Length;
                if (request.HttpMethod == "GET")
                {
                    await response.OutputStream.WriteAsync(found.Bytes);
                }

                break;
            case "GET":
                await ErrorAsync(response, 404, "NoSuchKey");
                break;
            case "HEAD":
                response.StatusCode = 404;
                break;
            case "DELETE":
                Objects.TryRemove(key, out _);
                response.StatusCode = 204;
                break;
            default:
                await ErrorAsync(response, 405, "MethodNotAllowed");
                break;
        }
    }

    private async Task ListAsync(string prefix, HttpListenerResponse response)
    {
        var items = string.Concat(Objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o =>
            $"<Contents><Key>{SecurityElement.Escape(o.Key)}</Key><LastModified>{o.Value.Modified.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}</LastModified><Size>{o.Value.Bytes.Length}</Size></Contents>"));
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{Bucket}</Name><Prefix>{SecurityElement.Escape(prefix)}</Prefix><IsTruncated>false</IsTruncated>{items}</ListBucketResult>";
        response.StatusCode = 200;
        response.ContentType = "application/xml";
        await response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(xml));
    }

    private static async Task ErrorAsync(HttpListenerResponse response, int status, string code)
    {
        response.StatusCode = status;
        response.ContentType = "application/xml";
        await response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code></Error>"));
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop;
    }
}
