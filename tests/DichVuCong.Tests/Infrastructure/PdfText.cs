using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using UglyToad.PdfPig;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>
/// The portal's PDFs read back as text. PdfPig gives the layout's words without the spaces between them, and lines
/// and columns break words apart, so both sides of a comparison lose their white space; the letters stay in order.
/// </summary>
internal static partial class PdfText
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>The text without white space.</summary>
    public static string Squash(string text) => WhiteSpace().Replace(text, string.Empty);

    /// <summary>Squashed and in capitals as Vietnamese writes them, for headings printed upper-case.</summary>
    public static string Upper(string text) => Squash(text).ToUpper(Vietnamese);

    /// <summary>A downloaded PDF's whole text, squashed; the answer must be a 200 with a PDF.</summary>
    public static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        using var document = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return Squash(string.Concat(document.GetPages().Select(p => p.Text)));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
