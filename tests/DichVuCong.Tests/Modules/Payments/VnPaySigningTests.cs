using DichVuCong.Web.Modules.Payments;
using DichVuCong.Web.Modules.Payments.VnPay;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Payments;

/// <summary>
/// VNPay 2.1.0 signatures against vectors computed outside the portal, with Python's standard library (the script is
/// below each vector) and checked with <c>openssl dgst -sha512 -hmac</c>:
/// <code>
/// import hmac, hashlib, urllib.parse
/// secret = b"test-vnpay-hash-secret-0123456789"
/// def data(p): return "&amp;".join(urllib.parse.quote_plus(k, safe="!*()") + "=" + urllib.parse.quote_plus(v, safe="!*()") for k, v in sorted(p.items()) if v)
/// def h(s): return hmac.new(secret, s.encode(), hashlib.sha512).hexdigest()
/// </code>
/// </summary>
public sealed class VnPaySigningTests
{
    private const string Secret = "test-vnpay-hash-secret-0123456789";

    private static VnPayGateway Gateway() => new(
        Options.Create(new PaymentOptions { VnPay = new VnPayOptions { TmnCode = "DVCTEST1", HashSecret = Secret, BaseUrl = "https://gateway.example/paymentv2/vpcpay.html", QueryUrl = "https://gateway.example/merchant_webapi/api/transaction" } }),
        null!, null!, new FakeTimeProvider(), NullLogger<VnPayGateway>.Instance);

    // pay = {"vnp_Version":"2.1.0","vnp_Command":"pay","vnp_TmnCode":"DVCTEST1","vnp_Amount":"5000000","vnp_CurrCode":"VND","vnp_TxnRef":"261203ABCD2345",
    //  "vnp_OrderInfo":"Thanh toan phi le phi ho so H99.01-261203-0001","vnp_OrderType":"other","vnp_Locale":"vn","vnp_ReturnUrl":"https://dichvucong.example/thanh-toan/ket-qua",
    //  "vnp_IpAddr":"127.0.0.1","vnp_CreateDate":"20261203143000","vnp_ExpireDate":"20261203144500","vnp_BankCode":""}
    // print(data(pay)); print(h(data(pay)))
    private const string PayData = "vnp_Amount=5000000&vnp_Command=pay&vnp_CreateDate=20261203143000&vnp_CurrCode=VND&vnp_ExpireDate=20261203144500&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+phi+le+phi+ho+so+H99.01-261203-0001&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fdichvucong.example%2Fthanh-toan%2Fket-qua&vnp_TmnCode=DVCTEST1&vnp_TxnRef=261203ABCD2345&vnp_Version=2.1.0";
    private const string PayHash = "3e9bcf5b53cd16944dd82c136b6cdd0cf36fdd5eb64b6c0f4415459fd73054a5436f35cc3dd935a60d9d0644c98aa9edc1ea28dc9e0d50c8fedabb261fc21c1d";

    // ipn = {"vnp_TmnCode":"DVCTEST1","vnp_Amount":"5000000","vnp_BankCode":"NCB","vnp_BankTranNo":"VNP14226112","vnp_CardType":"ATM","vnp_OrderInfo":"Thanh toan phi le phi ho so H99.01-261203-0001",
    //  "vnp_PayDate":"20261203143512","vnp_ResponseCode":"00","vnp_TransactionNo":"14226112","vnp_TransactionStatus":"00","vnp_TxnRef":"261203ABCD2345"}
    // print(data(ipn)); print(h(data(ipn)))
    private const string IpnData = "vnp_Amount=5000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14226112&vnp_CardType=ATM&vnp_OrderInfo=Thanh+toan+phi+le+phi+ho+so+H99.01-261203-0001&vnp_PayDate=20261203143512&vnp_ResponseCode=00&vnp_TmnCode=DVCTEST1&vnp_TransactionNo=14226112&vnp_TransactionStatus=00&vnp_TxnRef=261203ABCD2345";
    private const string IpnHash = "252ef014de73a3731fff7803098b2596e83c2511b55ae5411c1b990be02bcd946b62fe685f070ff5fa79f9d3f3ca01e3e43ccc68f380ce234887ff8dcad2cb0a";

    // q = ["0f1e2d3c4b5a69788796a5b4c3d2e1f0","2.1.0","querydr","DVCTEST1","261203ABCD2345","20261203143000","20261203145000","127.0.0.1","Thanh toan phi le phi ho so H99.01-261203-0001"]
    // print(h("|".join(q)))
    private const string QueryHash = "d2915cfc4fea012aded956569036b35aab7abd4c7cd04fcaa6014842e7671db3ba1c0b6a921b6081e8fad3fa9ae3c6e2c71a280fa86b57a7c823208a344c0ab2";

    [Fact]
    public void The_pay_url_carries_the_sorted_encoded_parameters_and_their_hmac_sha512()
    {
        // 14:30 and 14:45 in Vietnam (GMT+7).
        var created = new DateTime(2026, 12, 3, 7, 30, 0, DateTimeKind.Utc);
        var url = Gateway().CreatePaymentUrl(new PaymentOrder("261203ABCD2345", 50_000, "Thanh toan phi le phi ho so H99.01-261203-0001", created, created.AddMinutes(15), "127.0.0.1", "https://dichvucong.example/thanh-toan/ket-qua"));

        Assert.Equal("https://gateway.example/paymentv2/vpcpay.html?" + PayData + "&vnp_SecureHash=" + PayHash, url);
    }

    [Fact]
    public void Empty_values_and_the_hash_fields_are_left_out_of_the_signed_data()
    {
        var parameters = new Dictionary<string, string?>
        {
            ["vnp_TxnRef"] = "261203ABCD2345", ["vnp_TmnCode"] = "DVCTEST1", ["vnp_BankCode"] = "", ["vnp_Amount"] = "5000000", ["vnp_ResponseCode"] = "00",
            ["vnp_OrderInfo"] = "Thanh toan phi le phi ho so H99.01-261203-0001", ["vnp_BankTranNo"] = "VNP14226112", ["vnp_CardType"] = "ATM", ["vnp_PayDate"] = "20261203143512",
            ["vnp_TransactionNo"] = "14226112", ["vnp_TransactionStatus"] = "00", ["vnp_SecureHashType"] = "HmacSHA512", ["vnp_SecureHash"] = "ignored",
        };
        parameters["vnp_BankCode"] = "NCB";

        Assert.Equal(IpnData, VnPaySigner.DataString(parameters));
        Assert.Equal(IpnHash, VnPaySigner.Sign(Secret, parameters));
    }

    [Fact]
    public void A_callback_with_the_vector_hash_is_believed_and_any_change_is_not()
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(IpnData + "&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=" + PayHashUpper(IpnHash));

        var result = Gateway().VerifyCallback(new QueryCollection(query));
        Assert.True(result.SignatureValid);
        Assert.Equal(("261203ABCD2345", 50_000L, GatewayOutcome.Paid, "14226112", "NCB"), (result.TxnRef, result.Amount!.Value, result.Outcome, result.TransactionNo, result.BankCode));

        query["vnp_Amount"] = new StringValues("500000000");
        Assert.False(Gateway().VerifyCallback(new QueryCollection(query)).SignatureValid);
    }

    [Fact]
    public void QueryDR_signs_its_fields_joined_by_bars_in_the_documented_order()
    {
        Assert.Equal(["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"], VnPayGateway.QueryRequestFields);
        Assert.Equal(QueryHash, VnPaySigner.SignPiped(Secret, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "2.1.0", "querydr", "DVCTEST1", "261203ABCD2345", "20261203143000", "20261203145000", "127.0.0.1", "Thanh toan phi le phi ho so H99.01-261203-0001"));
    }

    /// <summary>Gateways send the hex in either case.</summary>
    private static string PayHashUpper(string hex) => hex.ToUpperInvariant();
}
