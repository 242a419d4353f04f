using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using DichVuCong.Web.Common.Time;

namespace DichVuCong.Web.Modules.Payments.VnPay;

/// <summary>
/// VNPay 2.1.0 signing, kept pure so it can be checked against vectors computed outside the portal. The pay URL and
/// the callbacks sign the <c>vnp_</c> parameters without empty values, sorted by key ordinally, each key and value
/// encoded as VNPay's reference code does (<see cref="WebUtility.UrlEncode"/>: space as '+', upper-case hex), joined
/// by '&amp;'; <c>vnp_SecureHash</c> and <c>vnp_SecureHashType</c> are never signed. The QueryDR API signs its
/// fields' values joined by '|' in the documented order. The hash is HMAC-SHA512 with the hash secret, in hex.
/// </summary>
internal static class VnPaySigner
{
    public const string HashKey = "vnp_SecureHash";
    public const string HashTypeKey = "vnp_SecureHashType";

    /// <summary>The signed data, which is also the pay URL's query string before the hash.</summary>
    public static string DataString(IEnumerable<KeyValuePair<string, string?>> parameters) =>
        string.Join('&', parameters
            .Where(p => !string.IsNullOrEmpty(p.Value) && p.Key != HashKey && p.Key != HashTypeKey)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => WebUtility.UrlEncode(p.Key) + "=" + WebUtility.UrlEncode(p.Value)));

    public static string Hash(string secret, string data) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(data)));

    public static string Sign(string secret, IEnumerable<KeyValuePair<string, string?>> parameters) => Hash(secret, DataString(parameters));

    /// <summary>The QueryDR request's or answer's hash: the values joined by '|' (null as empty).</summary>
    public static string SignPiped(string secret, params string?[] values) => Hash(secret, string.Join('|', values.Select(v => v ?? string.Empty)));

    /// <summary>Compares in constant time, ignoring the hex digits' case.</summary>
    public static bool Matches(string expectedHex, string? givenHex) =>
        givenHex is not null && givenHex.Length == expectedHex.Length
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedHex), Encoding.ASCII.GetBytes(givenHex.ToLowerInvariant()));

    /// <summary>vnp_CreateDate, vnp_ExpireDate, vnp_PayDate: yyyyMMddHHmmss in Vietnam time (GMT+7).</summary>
    public static string Date(DateTime utc) => VietnamTime.ToLocal(utc).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
}
