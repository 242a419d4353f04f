using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Payments.VnPay;

/// <summary>
/// The merchant side of VNPay's protocol 2.1.0: the pay URL, the callbacks' check, and QueryDR for reconciliation.
/// Works the same against VNPay's own sandbox, production, or the portal's sandbox gateway (see Sandbox/).
/// </summary>
internal sealed partial class VnPayGateway(IOptions<PaymentOptions> options, IHttpClientFactory clients, IServer server, TimeProvider time, ILogger<VnPayGateway> logger) : IPaymentGateway
{
    public const string Version = "2.1.0";
    public const string HttpClientName = "vnpay";

    private VnPayOptions Options => options.Value.VnPay;

    public string Provider => "vnpay";

    public string CreatePaymentUrl(PaymentOrder order)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["vnp_Version"] = Version,
            ["vnp_Command"] = "pay",
            ["vnp_TmnCode"] = Options.TmnCode,
            ["vnp_Amount"] = (order.Amount * 100).ToString(CultureInfo.InvariantCulture),
            ["vnp_CurrCode"] = "VND",
            ["vnp_TxnRef"] = order.TxnRef,
            ["vnp_OrderInfo"] = order.OrderInfo,
            ["vnp_OrderType"] = "other",
            ["vnp_Locale"] = "vn",
            ["vnp_ReturnUrl"] = order.ReturnUrl,
            ["vnp_IpAddr"] = order.IpAddress,
            ["vnp_CreateDate"] = VnPaySigner.Date(order.CreatedAt),
            ["vnp_ExpireDate"] = VnPaySigner.Date(order.ExpiresAt),
        };
        var data = VnPaySigner.DataString(parameters);
        return Options.BaseUrl + "?" + data + "&" + VnPaySigner.HashKey + "=" + VnPaySigner.Hash(Options.HashSecret!, data);
    }

    public GatewayResult VerifyCallback(IQueryCollection query)
    {
        if (!options.Value.Enabled)
        {
            return GatewayResult.Invalid;
        }

        var parameters = query.Where(p => p.Key.StartsWith("vnp_", StringComparison.Ordinal))
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString())).ToList();
        var given = query[VnPaySigner.HashKey].ToString();
        if (!VnPaySigner.Matches(VnPaySigner.Sign(Options.HashSecret!, parameters), given) || query["vnp_TmnCode"] != Options.TmnCode)
        {
            return GatewayResult.Invalid;
        }

        string? Get(string key) => query[key].ToString() is { Length: > 0 } v ? v : null;
        var responseCode = Get("vnp_ResponseCode");
        var outcome = (responseCode, Get("vnp_TransactionStatus")) switch
        {
            ("00", "00") => GatewayOutcome.Paid,
            ("24", _) => GatewayOutcome.Cancelled,
            _ => GatewayOutcome.Failed,
        };
        return new GatewayResult(true, Get("vnp_TxnRef"), Vnd(Get("vnp_Amount")), outcome, responseCode, Get("vnp_TransactionNo"), Get("vnp_BankCode"));
    }

    public async Task<GatewayResult> QueryAsync(string txnRef, DateTime createdAt, string orderInfo, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, string>
        {
            ["vnp_RequestId"] = Guid.NewGuid().ToString("N")[..32],
            ["vnp_Version"] = Version,
            ["vnp_Command"] = "querydr",
            ["vnp_TmnCode"] = Options.TmnCode!,
            ["vnp_TxnRef"] = txnRef,
            ["vnp_OrderInfo"] = orderInfo,
            ["vnp_TransactionDate"] = VnPaySigner.Date(createdAt),
            ["vnp_CreateDate"] = VnPaySigner.Date(time.GetUtcNow().UtcDateTime),
            ["vnp_IpAddr"] = "127.0.0.1",
        };
        request["vnp_SecureHash"] = VnPaySigner.SignPiped(Options.HashSecret!, QueryRequestFields.Select(k => request[k]).ToArray());
        try
        {
            using var response = await clients.CreateClient(HttpClientName).PostAsJsonAsync(Absolute(Options.QueryUrl!), request, cancellationToken);
            response.EnsureSuccessStatusCode();
            var answer = (await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>(cancellationToken) ?? [])
                .ToDictionary(p => p.Key, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ValueKind is JsonValueKind.Null ? null : p.Value.GetRawText());
            string? Get(string key) => answer.GetValueOrDefault(key) is { Length: > 0 } v ? v : null;
            var expected = VnPaySigner.SignPiped(Options.HashSecret!, QueryAnswerFields.Select(Get).ToArray());
            if (!VnPaySigner.Matches(expected, Get(VnPaySigner.HashKey)) || Get("vnp_TxnRef") is { } other && other != txnRef)
            {
                LogBadAnswer(logger, txnRef);
                return GatewayResult.Invalid;
            }

            var outcome = (Get("vnp_ResponseCode"), Get("vnp_TransactionStatus")) switch
            {
                ("00", "00") => GatewayOutcome.Paid,
                ("00", "01") or ("91", _) => GatewayOutcome.NotPaid,
                ("00", "02") => GatewayOutcome.Failed,
                _ => GatewayOutcome.Unknown,
            };
            return new GatewayResult(true, txnRef, Vnd(Get("vnp_Amount")), outcome, Get("vnp_TransactionStatus") ?? Get("vnp_ResponseCode"), Get("vnp_TransactionNo"), Get("vnp_BankCode"));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogQueryFailed(logger, txnRef, ex);
            return GatewayResult.Invalid;
        }
    }

    /// <summary>The QueryDR request's fields in the order they are signed.</summary>
    public static readonly string[] QueryRequestFields =
        ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"];

    /// <summary>The QueryDR answer's fields in the order they are signed.</summary>
    public static readonly string[] QueryAnswerFields =
        ["vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate",
         "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount"];

    /// <summary>vnp_Amount is VND × 100; anything else is not an amount we sent.</summary>
    private static long? Vnd(string? amount) =>
        long.TryParse(amount, NumberStyles.None, CultureInfo.InvariantCulture, out var x100) && x100 % 100 == 0 ? x100 / 100 : null;

    /// <summary>A configured path (the portal's own sandbox) is on this portal: resolve it against the address it listens on.</summary>
    private string Absolute(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            return url;
        }

        var own = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
        return new Uri(new Uri(own.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)), url).ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VNPay QueryDR for {TxnRef}: the answer's signature or order did not match; ignored.")]
    private static partial void LogBadAnswer(ILogger logger, string txnRef);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VNPay QueryDR for {TxnRef} failed; asking again at the next pass.")]
    private static partial void LogQueryFailed(ILogger logger, string txnRef, Exception exception);
}
