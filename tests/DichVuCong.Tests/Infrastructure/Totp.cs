using System.Security.Cryptography;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>
/// RFC 6238 codes, as an authenticator app computes them from a base32 secret. The portal accepts each code
/// once per account (the codes of the previous, current and next 30-second step), so a test that signs in
/// twice as one account uses codes of two different steps.
/// </summary>
internal static class Totp
{
    private static readonly Dictionary<(string Database, string UserName), long> Reserved = [];

    /// <summary>The 30-second step an authenticator app is on at that moment.</summary>
    public static long Step(DateTimeOffset? at = null) => (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;

    public static string Code(string base32Secret, DateTimeOffset? at = null) => CodeForStep(base32Secret, Step(at));

    public static string CodeForStep(string base32Secret, long step)
    {
        var key = FromBase32(base32Secret);
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Six digits that are no valid code of this secret anywhere near now.</summary>
    public static string NotACode(string base32Secret)
    {
        var now = Step();
        var valid = Enumerable.Range(-3, 7).Select(i => CodeForStep(base32Secret, now + i)).ToHashSet();
        return Enumerable.Range(0, 10).Select(d => new string((char)('0' + d), 6)).First(c => !valid.Contains(c));
    }

    /// <summary>
    /// A code of a step no other caller got for this account on this portal: for accounts that tests share,
    /// like the demo officers, so two tests signing in as one of them at once do not trip over the one-use
    /// rule. Waits for the next step when the current and next are taken.
    /// </summary>
    public static async Task<string> UnusedCodeAsync(object portal, string userName, string base32Secret = PortalFactory.DemoTotpSecret)
    {
        // Portals on one database (a second host in a test) share the accounts, so the database is the key.
        var services = portal.GetType().GetProperty("Services")?.GetValue(portal) as IServiceProvider;
        var database = (services?.GetService(typeof(Microsoft.Extensions.Configuration.IConfiguration)) as Microsoft.Extensions.Configuration.IConfiguration)?["ConnectionStrings:Default"]
            ?? portal.GetHashCode().ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (true)
        {
            lock (Reserved)
            {
                var now = Step();
                var step = Math.Max(now, Reserved.GetValueOrDefault((database, userName), long.MinValue) + 1);
                if (step <= now + 1)
                {
                    Reserved[(database, userName)] = step;
                    return CodeForStep(base32Secret, step);
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
