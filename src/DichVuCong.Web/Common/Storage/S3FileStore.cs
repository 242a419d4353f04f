using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Common.Storage;

/// <summary>Settings of the S3-compatible object store (<c>Storage:S3:*</c>), used when <c>Storage:Provider</c> is S3.</summary>
internal sealed class S3StoreOptions
{
    /// <summary>The endpoint, e.g. https://s3.ap-southeast-1.amazonaws.com or http://minio.local:9000.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string Region { get; set; } = "us-east-1";
}

/// <summary>Refuses to start with S3 chosen but not fully configured.</summary>
internal sealed class S3StoreOptionsValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider != "S3")
        {
            return ValidateOptionsResult.Success;
        }

        var s3 = options.S3;
        var errors = new List<string>();
        if (!Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("Storage:S3:ServiceUrl must be an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            errors.Add("Storage:S3:Bucket is required.");
        }

        if (string.IsNullOrWhiteSpace(s3.AccessKey) || string.IsNullOrWhiteSpace(s3.SecretKey))
        {
            errors.Add("Storage:S3:AccessKey and Storage:S3:SecretKey are required.");
        }

        if (string.IsNullOrWhiteSpace(s3.Region))
        {
            errors.Add("Storage:S3:Region is required.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// Files in an S3-compatible bucket (Amazon S3, MinIO, Ceph...), addressed path-style
/// (<c>{ServiceUrl}/{bucket}/{path}</c>) so MinIO-style endpoints work without DNS per bucket.
/// Speaks the REST API directly with Signature Version 4: four object calls and one listing do not
/// justify a cloud SDK.
/// </summary>
internal sealed class S3FileStore(IOptions<StorageOptions> options, IHttpClientFactory clients, TimeProvider time) : IFileStore
{
    public const string HttpClientName = "s3";

    private static readonly XNamespace S3Xml = "http://s3.amazonaws.com/doc/2006-03-01/";

    private readonly S3StoreOptions s3 = options.Value.S3;

    public async Task SaveAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        // The payload is signed by its hash, so it is read once to hash, then sent from the start.
        Stream body = content;
        FileStream? spill = null;
        if (!content.CanSeek)
        {
            spill = new FileStream(Path.Combine(Path.GetTempPath(), "dvc-s3-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await content.CopyToAsync(spill, cancellationToken);
            body = spill;
        }

        try
        {
            var start = body.Position;
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(body, cancellationToken));
            body.Position = start;
            using var request = Request(HttpMethod.Put, ObjectPath(path), NoQuery, hash);
            request.Content = new StreamContent(new NonDisposing(body));
            request.Content.Headers.ContentLength = body.Length - start;
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var response = await Client().SendAsync(request, cancellationToken);
            await EnsureAsync(response, "PUT", path, cancellationToken);
        }
        finally
        {
            if (spill is not null)
            {
                await spill.DisposeAsync();
            }
        }
    }

    public Stream? OpenRead(string path)
    {
        using var request = Request(HttpMethod.Get, ObjectPath(path), NoQuery, EmptyHash);
        var response = Client().Send(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new IOException($"The object store answered {status} to GET {path}.");
        }

        return new ResponseStream(response);
    }

    public bool Exists(string path)
    {
        using var request = Request(HttpMethod.Head, ObjectPath(path), NoQuery, EmptyHash);
        using var response = Client().Send(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        return response.IsSuccessStatusCode
            ? true
            : throw new IOException($"The object store answered {(int)response.StatusCode} to HEAD {path}.");
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Delete, ObjectPath(path), NoQuery, EmptyHash);
        using var response = await Client().SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureAsync(response, "DELETE", path, cancellationToken);
        }
    }

    public async IAsyncEnumerable<StoredFile> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var query = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["list-type"] = "2", ["prefix"] = prefix };
            if (token is not null)
            {
                query["continuation-token"] = token;
            }

            using var request = Request(HttpMethod.Get, "/" + Encode(s3.Bucket!), query, EmptyHash);
            using var response = await Client().SendAsync(request, cancellationToken);
            await EnsureAsync(response, "LIST", prefix, cancellationToken);
            var xml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var result = xml.Root!;
            var ns = result.Name.Namespace == S3Xml ? S3Xml : XNamespace.None;
            foreach (var item in result.Elements(ns + "Contents"))
            {
                var modified = DateTime.Parse(item.Element(ns + "LastModified")!.Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
                yield return new StoredFile(item.Element(ns + "Key")!.Value, modified);
            }

            token = string.Equals(result.Element(ns + "IsTruncated")?.Value, "true", StringComparison.OrdinalIgnoreCase)
                ? result.Element(ns + "NextContinuationToken")?.Value
                : null;
        }
        while (token is not null);
    }

    private static readonly Dictionary<string, string> NoQuery = [];

    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private HttpClient Client() => clients.CreateClient(HttpClientName);

    private string ObjectPath(string path) => "/" + Encode(s3.Bucket!) + "/" + string.Join('/', path.Split('/').Select(Encode));

    private HttpRequestMessage Request(HttpMethod method, string canonicalPath, IReadOnlyDictionary<string, string> query, string payloadHash)
    {
        var service = new Uri(s3.ServiceUrl!);
        var basePath = service.AbsolutePath.TrimEnd('/');
        var fullPath = basePath + canonicalPath;
        var queryText = CanonicalQuery(query);
        var uri = new Uri(service.GetLeftPart(UriPartial.Authority) + fullPath + (queryText.Length > 0 ? "?" + queryText : string.Empty));
        var now = time.GetUtcNow().UtcDateTime;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var host = service.IsDefaultPort ? service.Host : service.Host + ":" + service.Port.ToString(CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-content-sha256"] = payloadHash,
            ["x-amz-date"] = amzDate,
        };
        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization", SigV4.Authorization(method.Method, fullPath, queryText, headers, payloadHash, now, s3.AccessKey!, s3.SecretKey!, s3.Region));
        return request;
    }

    private static string CanonicalQuery(IReadOnlyDictionary<string, string> query) =>
        string.Join('&', query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Encode(p.Key) + "=" + Encode(p.Value)));

    /// <summary>URI-encodes as SigV4 wants: every byte except A-Z a-z 0-9 - _ . ~ as %XX upper-case.</summary>
    public static string Encode(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string verb, string path, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = body.Contains("<Code>", StringComparison.Ordinal) ? body.Split("<Code>")[1].Split("</Code>")[0] : string.Empty;
            throw new IOException($"The object store answered {(int)response.StatusCode} {code} to {verb} {path}.");
        }
    }

    /// <summary>The body of a GET; disposing it frees the response.</summary>
    private sealed class ResponseStream(HttpResponseMessage response) : Stream
    {
        private readonly Stream inner = response.Content.ReadAsStream();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Lets the request send a stream the caller still owns.</summary>
    private sealed class NonDisposing(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>AWS Signature Version 4 for one request (header form).</summary>
internal static class SigV4
{
    public static string Authorization(
        string method, string canonicalPath, string canonicalQuery, IReadOnlyDictionary<string, string> headers,
        string payloadHash, DateTime utcNow, string accessKey, string secretKey, string region, string service = "s3")
    {
        var names = headers.Keys.Select(k => k.ToLowerInvariant()).Order(StringComparer.Ordinal).ToArray();
        var lower = headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.Trim());
        var canonicalHeaders = string.Concat(names.Select(n => n + ":" + lower[n] + "\n"));
        var signedHeaders = string.Join(';', names);
        var canonicalRequest = string.Join('\n', method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash);
        var day = utcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var scope = $"{day}/{region}/{service}/aws4_request";
        var stringToSign = string.Join(
            '\n',
            "AWS4-HMAC-SHA256",
            utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
            scope,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), day);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
