using System.Globalization;
using System.Security.Cryptography;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Payments.VnPay;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace DichVuCong.Web.Modules.Payments.Sandbox;

/// <summary>
/// The sandbox gateway's pay page: checks the merchant's signature, shows the order, and lets the tester choose a bank
/// and an outcome. It then records the transaction, calls the merchant's IPN over HTTP (unless told to lose it) and
/// sends the browser to the merchant's return URL with the same signed parameters.
/// </summary>
[AllowAnonymous]
internal sealed partial class SandboxPayPageModel(AppDbContext db, IOptions<PaymentOptions> options, IHttpClientFactory clients, TimeProvider time, ILogger<SandboxPayPageModel> logger) : PageModel
{
    private VnPayOptions VnPay => options.Value.VnPay;

    /// <summary>The merchant's query string, carried through the form so the POST checks exactly what was signed.</summary>
    [BindProperty] public string? Order { get; set; }

    [BindProperty] public string? Bank { get; set; }

    [BindProperty] public bool LoseIpn { get; set; }

    public Dictionary<string, StringValues> Parameters { get; private set; } = [];

    public string? Problem { get; private set; }

    public long Amount => long.TryParse(Parameters.GetValueOrDefault("vnp_Amount"), NumberStyles.None, CultureInfo.InvariantCulture, out var x100) ? x100 / 100 : 0;

    public IActionResult OnGet()
    {
        if (!VnPay.Sandbox.Enabled)
        {
            return NotFound();
        }

        Order = Request.QueryString.Value?.TrimStart('?');
        Check();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string outcome, CancellationToken cancellationToken)
    {
        if (!VnPay.Sandbox.Enabled)
        {
            return NotFound();
        }

        if (!Check())
        {
            return Page();
        }

        Bank = SandboxGateway.Banks.Any(b => b.Code == Bank) ? Bank : SandboxGateway.Banks[0].Code;
        var txnRef = Parameters["vnp_TxnRef"].ToString();
        if (await db.Set<SandboxTransaction>().AnyAsync(t => t.TxnRef == txnRef, cancellationToken))
        {
            Problem = "Giao dịch này đã được xử lý.";
            return Page();
        }

        var (responseCode, status) = SandboxGateway.Codes(outcome);
        var transaction = new SandboxTransaction
        {
            TxnRef = txnRef,
            TmnCode = VnPay.TmnCode!,
            Amount100 = Amount * 100,
            OrderInfo = Parameters["vnp_OrderInfo"].ToString(),
            TransactionNo = RandomNumberGenerator.GetInt32(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
            BankCode = Bank!,
            PayDate = SandboxGateway.Now(time),
            ResponseCode = responseCode,
            TransactionStatus = status,
        };
        db.Add(transaction);
        await db.SaveChangesAsync(cancellationToken);

        var callback = new Dictionary<string, string?>
        {
            ["vnp_TmnCode"] = transaction.TmnCode,
            ["vnp_Amount"] = transaction.Amount100.ToString(CultureInfo.InvariantCulture),
            ["vnp_BankCode"] = transaction.BankCode,
            ["vnp_BankTranNo"] = responseCode == "00" ? "VNP" + transaction.TransactionNo : null,
            ["vnp_CardType"] = "ATM",
            ["vnp_OrderInfo"] = transaction.OrderInfo,
            ["vnp_PayDate"] = transaction.PayDate,
            ["vnp_ResponseCode"] = responseCode,
            ["vnp_TransactionNo"] = responseCode == "24" ? "0" : transaction.TransactionNo,
            ["vnp_TransactionStatus"] = status,
            ["vnp_TxnRef"] = txnRef,
        };
        var query = VnPaySigner.DataString(callback) + "&" + VnPaySigner.HashKey + "=" + VnPaySigner.Sign(VnPay.HashSecret!, callback);
        if (!LoseIpn)
        {
            var ipn = VnPay.Sandbox.IpnUrl ?? $"{Request.Scheme}://{Request.Host}/api/v1/payments/vnpay/ipn";
            try
            {
                using var response = await clients.CreateClient(VnPayGateway.HttpClientName).GetAsync(ipn + "?" + query, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                LogIpn(logger, txnRef, (int)response.StatusCode, body);
            }
            catch (HttpRequestException ex)
            {
                LogIpnFailed(logger, txnRef, ex);
            }
        }

        return Redirect(Parameters["vnp_ReturnUrl"] + "?" + query);
    }

    /// <summary>The merchant's signature, terminal code and expiry, as VNPay checks them before showing its page.</summary>
    private bool Check()
    {
        Parameters = QueryHelpers.ParseQuery(Order);
        var signed = Parameters.Where(p => p.Key.StartsWith("vnp_", StringComparison.Ordinal)).Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()));
        if (!VnPaySigner.Matches(VnPaySigner.Sign(VnPay.HashSecret!, signed), Parameters.GetValueOrDefault(VnPaySigner.HashKey)))
        {
            Problem = "Sai chữ ký (vnp_SecureHash): đơn hàng không đến từ website đã đăng ký.";
        }
        else if (Parameters.GetValueOrDefault("vnp_TmnCode") != VnPay.TmnCode || Parameters.GetValueOrDefault("vnp_Version") != "2.1.0" || Parameters.GetValueOrDefault("vnp_Command") != "pay")
        {
            Problem = "Website (vnp_TmnCode), phiên bản hoặc lệnh không hợp lệ.";
        }
        else if (string.CompareOrdinal(Parameters.GetValueOrDefault("vnp_ExpireDate").ToString(), SandboxGateway.Now(time)) < 0)
        {
            Problem = "Giao dịch đã quá thời gian chờ thanh toán.";
        }
        else if (Amount <= 0 || !Uri.TryCreate(Parameters.GetValueOrDefault("vnp_ReturnUrl"), UriKind.Absolute, out _))
        {
            Problem = "Số tiền hoặc địa chỉ trả về không hợp lệ.";
        }

        return Problem is null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox gateway: IPN for {TxnRef} answered {Status} {Body}.")]
    private static partial void LogIpn(ILogger logger, string txnRef, int status, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox gateway: IPN for {TxnRef} could not be sent.")]
    private static partial void LogIpnFailed(ILogger logger, string txnRef, Exception exception);
}
