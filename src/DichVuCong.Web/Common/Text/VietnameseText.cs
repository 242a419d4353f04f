using System.Globalization;
using System.Text;

namespace DichVuCong.Web.Common.Text;

/// <summary>Folds Vietnamese text for search: no diacritics, lower case, đ → d, single spaces.</summary>
internal static class VietnameseText
{
    public static string Fold(string? text)
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
                'đ' or 'Đ' => 'd',
                _ => char.ToLowerInvariant(c),
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
