using System.Globalization;
using System.Text;

namespace DichVuCong.Web.Common.Text;

/// <summary>Folds Vietnamese text for search (no diacritics, lower case, đ → d, single spaces) or for SMS (the same, case kept).</summary>
internal static class VietnameseText
{
    public static string Fold(string? text) => Strip(text, lower: true);

    /// <summary>The same text without diacritics, case kept ("Đã tiếp nhận" → "Da tiep nhan"): for SMS, which must stay plain ASCII.</summary>
    public static string Plain(string? text) => Strip(text, lower: false);

    private static string Strip(string? text, bool lower)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        // NFD splits "ế" into "e" + two combining marks, whatever form the input came in.
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastWasSpace = true;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var folded = c switch
            {
                'đ' => 'd',
                'Đ' => lower ? 'd' : 'D',
                _ => lower ? char.ToLowerInvariant(c) : c,
            };
            if (char.IsWhiteSpace(folded))
            {
                if (!lastWasSpace)
                {
                    builder.Append(' ');
                    lastWasSpace = true;
                }

                continue;
            }

            builder.Append(folded);
            lastWasSpace = false;
        }

        if (builder.Length > 0 && builder[^1] == ' ')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    /// <summary>Splits folded text into search words; punctuation other than '.' (procedure codes) separates words.</summary>
    public static string[] Words(string folded) =>
        folded.Split(
            [' ', ',', ';', ':', '(', ')', '"', '\'', '/', '-', '–', '?', '!'],
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
