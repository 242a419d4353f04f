using System.Globalization;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Payments.VnPay;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Payments.Sandbox;

/// <summary>What the sandbox gateway did with one order, so its QueryDR can answer as VNPay's would.</summary>
internal sealed class SandboxTransaction
{
    public string TxnRef { get; set; } = string.Empty;

    public string TmnCode { get; set; } = string.Empty;

    /// <summary>vnp_Amount as sent: VND × 100.</summary>
    public long Amount100 { get; set; }

    public string OrderInfo { get; set; } = string.Empty;

    public string TransactionNo { get; set; } = string.Empty;

    public string BankCode { get; set; } = string.Empty;

    public string PayDate { get; set; } = string.Empty;

    public string ResponseCode { get; set; } = string.Empty;

    public string TransactionStatus { get; set; } = string.Empty;
}

internal sealed class SandboxTransactionMapping : IEntityTypeConfiguration<SandboxTransaction>
{
    public void Configure(EntityTypeBuilder<SandboxTransaction> e)
    {
        e.ToTable("SandboxVnPayTransactions");
        e.HasKey(x => x.TxnRef);
        e.Property(x => x.TxnRef).HasMaxLength(100);
        e.Property(x => x.TmnCode).HasMaxLength(20);
        e.Property(x => x.OrderInfo).HasMaxLength(255);
        e.Property(x => x.TransactionNo).HasMaxLength(20);
        e.Property(x => x.BankCode).HasMaxLength(20);
        e.Property(x => x.PayDate).HasMaxLength(14);
        e.Property(x => x.ResponseCode).HasMaxLength(2);
        e.Property(x => x.TransactionStatus).HasMaxLength(2);
    }
}

/// <summary>
/// The gateway's side of VNPay 2.1.0, for demonstrations and tests only (<c>Payments:VnPay:Sandbox:Enabled</c>): a
/// pay page (see <see cref="SandboxPayPageModel"/>) that calls the merchant's IPN server to server, and QueryDR.
/// Written from the protocol, not from the merchant adapter; it only shares the signing primitive.
/// </summary>
internal static class SandboxGateway
{
    public const string QueryPath = "/sandbox/vnpay/merchant_webapi/api/transaction";

    public static readonly (string Code, string Name)[] Banks =
    [
        ("NCB", "Ngân hàng Quốc Dân (NCB)"), ("VCB", "Vietcombank"), ("BIDV", "BIDV"), ("VIETINBANK", "VietinBank"), ("AGRIBANK", "Agribank"), ("TPBANK", "TPBank"),
    ];

    /// <summary>POST /sandbox/vnpay/merchant_webapi/api/transaction with vnp_Command=querydr.</summary>
    public static void MapSandbox(this IEndpointRouteBuilder app) =>
        app.MapPost(QueryPath, async Task<Results<Ok<Dictionary<string, string>>, NotFound>> (Dictionary<string, string?> request, AppDbContext db, IOptions<PaymentOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
            {
                var vnpay = options.Value.VnPay;
                if (!vnpay.Sandbox.Enabled)
                {
                    return TypedResults.NotFound();
                }

                string Get(string key) => request.GetValueOrDefault(key) ?? string.Empty;
                var signed = VnPaySigner.SignPiped(vnpay.HashSecret!, Get("vnp_RequestId"), Get("vnp_Version"), Get("vnp_Command"), Get("vnp_TmnCode"), Get("vnp_TxnRef"), Get("vnp_TransactionDate"), Get("vnp_CreateDate"), Get("vnp_IpAddr"), Get("vnp_OrderInfo"));
                var answer = new Dictionary<string, string>
                {
                    ["vnp_ResponseId"] = Guid.NewGuid().ToString("N"),
                    ["vnp_Command"] = "querydr",
                    ["vnp_TmnCode"] = Get("vnp_TmnCode"),
                    ["vnp_TxnRef"] = Get("vnp_TxnRef"),
                };
                var (txnRef, tmnCode) = (Get("vnp_TxnRef"), Get("vnp_TmnCode"));
                var transaction = await db.Set<SandboxTransaction>().AsNoTracking().SingleOrDefaultAsync(t => t.TxnRef == txnRef && t.TmnCode == tmnCode, cancellationToken);
                if (!VnPaySigner.Matches(signed, request.GetValueOrDefault(VnPaySigner.HashKey)))
                {
                    (answer["vnp_ResponseCode"], answer["vnp_Message"]) = ("97", "Invalid Checksum");
                }
                else if (Get("vnp_Command") != "querydr" || Get("vnp_TmnCode") != vnpay.TmnCode)
                {
                    (answer["vnp_ResponseCode"], answer["vnp_Message"]) = ("02", "Merchant invalid or command invalid");
                }
                else if (transaction is null)
                {
                    (answer["vnp_ResponseCode"], answer["vnp_Message"]) = ("91", "Transaction not found");
                }
                else
                {
                    (answer["vnp_ResponseCode"], answer["vnp_Message"]) = ("00", "QueryDR Success");
                    answer["vnp_Amount"] = transaction.Amount100.ToString(CultureInfo.InvariantCulture);
                    answer["vnp_BankCode"] = transaction.BankCode;
                    answer["vnp_PayDate"] = transaction.PayDate;
                    answer["vnp_TransactionNo"] = transaction.TransactionNo;
                    answer["vnp_TransactionType"] = "01";
                    answer["vnp_TransactionStatus"] = transaction.TransactionStatus;
                    answer["vnp_OrderInfo"] = transaction.OrderInfo;
                }

                answer[VnPaySigner.HashKey] = VnPaySigner.SignPiped(vnpay.HashSecret!, AnswerFields.Select(answer.GetValueOrDefault).ToArray());
                return TypedResults.Ok(answer);
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

    /// <summary>A status the sandbox keeps for an outcome chosen on its page: (vnp_ResponseCode, vnp_TransactionStatus).</summary>
    public static (string ResponseCode, string TransactionStatus) Codes(string outcome) => outcome switch
    {
        "success" => ("00", "00"),
        "cancel" => ("24", "02"),
        _ => ("51", "02"),
    };

    /// <summary>The QueryDR answer's fields in the order VNPay signs them.</summary>
    private static readonly string[] AnswerFields =
        ["vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate",
         "vnp_TransactionNo", "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount"];

    public static string Now(TimeProvider time) => VnPaySigner.Date(time.GetUtcNow().UtcDateTime);
}
