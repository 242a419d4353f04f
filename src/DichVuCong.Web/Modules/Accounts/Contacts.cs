using System.Net.Mail;

namespace DichVuCong.Web.Modules.Accounts;

/// <summary>How e-mail addresses, Vietnamese mobile numbers and tax codes are written, checked and shown.</summary>
internal static class Contacts
{
    /// <summary>A Vietnamese mobile number as 10 digits starting with 0 (03, 05, 07, 08, 09), from what was typed (+84, spaces, dots); null if it is not one.</summary>
    public static string? NormalizePhone(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '.' or '-' or '+')))
        {
            return null;
        }

        var digits = new string(typed.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("84", StringComparison.Ordinal) && digits.Length == 11)
        {
            digits = "0" + digits[2..];
        }

        return digits.Length == 10 && digits[0] == '0' && digits[1] is '3' or '5' or '7' or '8' or '9' ? digits : null;
    }

    /// <summary>The address trimmed, or null when it is not a plain e-mail address.</summary>
    public static string? NormalizeEmail(string? typed)
    {
        var value = typed?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > 254 || value.Contains(' ', StringComparison.Ordinal)
            || !MailAddress.TryCreate(value, out var address) || address.Address != value || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        return value;
    }

    /// <summary>Mã số doanh nghiệp: 10 digits, or 10-3 for a branch; null when it is not one.</summary>
    public static string? NormalizeTaxCode(string? typed)
    {
        var value = typed?.Trim().Replace(" ", string.Empty, StringComparison.Ordinal);
        if (value is null)
        {
            return null;
        }

        var ok = (value.Length == 10 && value.All(char.IsAsciiDigit))
            || (value.Length == 14 && value[10] == '-' && value.Remove(10, 1).All(char.IsAsciiDigit));
        return ok ? value : null;
    }

    /// <summary>nguyen.van.a@example.vn → ng•••@example.vn, so a screen shows where a code went without showing it all.</summary>
    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "•••" : email[..Math.Min(2, at)] + "•••" + email[at..];
    }

    /// <summary>0912345678 → 091•••••78.</summary>
    public static string MaskPhone(string phone) =>
        phone.Length < 6 ? "•••" : phone[..3] + new string('•', phone.Length - 5) + phone[^2..];
}
