using System.Globalization;

namespace DichVuCong.Web.Common.Text;

/// <summary>
/// Amounts in Vietnamese words, as a receipt writes them beside the figures ("Tám nghìn đồng"), so that the figures
/// cannot be altered unnoticed. The reading rules: "lẻ" for a zero ten after a hundred (một trăm lẻ năm), "mười" for
/// 10–19, "mốt" and "tư" for 1 and 4 after a ten of two or more, "lăm" for 5 after any ten, "không trăm" inside a
/// larger number (một triệu không trăm lẻ năm nghìn), groups of nghìn, triệu and tỷ (nghìn tỷ above).
/// </summary>
internal static class VietnameseNumbers
{
    private static readonly string[] Digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

    /// <summary>"Tám nghìn đồng"; 0 is "Không đồng".</summary>
    public static string Money(long vnd)
    {
        var words = Words(vnd);
        return char.ToUpper(words[0], CultureInfo.GetCultureInfo("vi-VN")) + words[1..] + " đồng";
    }

    /// <summary>A whole number of zero or more in words, lower case: 1.250.000 → "một triệu hai trăm năm mươi nghìn".</summary>
    public static string Words(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        if (number == 0)
        {
            return Digits[0];
        }

        const long Billion = 1_000_000_000;
        if (number >= Billion)
        {
            var rest = number % Billion;
            return Words(number / Billion) + " tỷ" + (rest == 0 ? string.Empty : " " + BelowBillion(rest, leading: false));
        }

        return BelowBillion(number, leading: true);
    }

    /// <summary>Under a billion, by groups of three digits; a group after a larger one reads its zero hundreds.</summary>
    private static string BelowBillion(long number, bool leading)
    {
        var parts = new List<string>();
        foreach (var (value, scale) in new[] { (number / 1_000_000, " triệu"), (number / 1_000 % 1_000, " nghìn"), (number % 1_000, string.Empty) })
        {
            if (value == 0)
            {
                continue;
            }

            parts.Add(Group((int)value, leading) + scale);
            leading = false;
        }

        return string.Join(' ', parts);
    }

    private static string Group(int value, bool leading)
    {
        var (hundreds, tens, units) = (value / 100, value / 10 % 10, value % 10);
        var words = new List<string>();
        var saysHundreds = hundreds > 0 || !leading;
        if (saysHundreds)
        {
            words.Add(Digits[hundreds] + " trăm");
        }

        switch (tens)
        {
            case 0 when units > 0:
                if (saysHundreds)
                {
                    words.Add("lẻ");
                }

                words.Add(Digits[units]);
                break;
            case 1:
                words.Add("mười");
                if (units > 0)
                {
                    words.Add(units == 5 ? "lăm" : Digits[units]);
                }

                break;
            case > 1:
                words.Add(Digits[tens] + " mươi");
                if (units > 0)
                {
                    words.Add(units switch { 1 => "mốt", 4 => "tư", 5 => "lăm", _ => Digits[units] });
                }

                break;
        }

        return string.Join(' ', words);
    }
}
