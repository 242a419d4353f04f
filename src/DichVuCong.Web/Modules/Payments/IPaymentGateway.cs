namespace DichVuCong.Web.Modules.Payments;

/// <summary>What the gateway is asked to collect.</summary>
internal sealed record PaymentOrder(string TxnRef, long Amount, string OrderInfo, DateTime CreatedAt, DateTime ExpiresAt, string IpAddress, string ReturnUrl);

/// <summary>What a gateway says about a transaction.</summary>
internal enum GatewayOutcome
{
    /// <summary>The money was taken.</summary>
    Paid,

    Failed,

    /// <summary>The payer gave up at the gateway.</summary>
    Cancelled,

    /// <summary>A query found no payment (yet): the payer has not paid or never reached the gateway.</summary>
    NotPaid,

    /// <summary>A query could not tell (gateway error, bad signature on the answer): ask again later.</summary>
    Unknown,
}

/// <summary>
/// A gateway's answer, from a callback (IPN, return URL) or a query. <see cref="SignatureValid"/> false means nothing
/// in it may be believed. <see cref="Amount"/> is in VND.
/// </summary>
internal sealed record GatewayResult(bool SignatureValid, string? TxnRef, long? Amount, GatewayOutcome Outcome, string? ResponseCode, string? TransactionNo, string? BankCode)
{
    public static readonly GatewayResult Invalid = new(false, null, null, GatewayOutcome.Unknown, null, null, null);
}

/// <summary>
/// A payment intermediary (VNPay today; the national PayGov platform or another later): where to send the payer, how to
/// check what the gateway sends back, and how to ask it about a transaction whose callback never came.
/// </summary>
internal interface IPaymentGateway
{
    /// <summary>Stored on each payment, e.g. "vnpay".</summary>
    string Provider { get; }

    string CreatePaymentUrl(PaymentOrder order);

    /// <summary>Checks the signature of the gateway's callback parameters and reads them.</summary>
    GatewayResult VerifyCallback(IQueryCollection query);

    /// <summary>Asks the gateway what became of a transaction (VNPay QueryDR).</summary>
    Task<GatewayResult> QueryAsync(string txnRef, DateTime createdAt, string orderInfo, CancellationToken cancellationToken);
}
