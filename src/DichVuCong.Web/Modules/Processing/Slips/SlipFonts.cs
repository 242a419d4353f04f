using PdfSharp.Fonts;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>
/// Liberation Serif (SIL OFL, metric-compatible with Times New Roman, which official documents use, and
/// with every Vietnamese letter), read from this assembly so the portal needs no font installed.
/// PDFsharp embeds the subset a document uses.
/// </summary>
internal sealed class SlipFonts : IFontResolver
{
    public const string Family = "Liberation Serif";

    private static readonly Lock Installing = new();

    /// <summary>PDFsharp takes one resolver per process, set before the first font is used.</summary>
    public static void Install()
    {
        lock (Installing)
        {
            GlobalFontSettings.FontResolver ??= new SlipFonts();
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (!string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // Bold italic is not shipped: it is drawn bold.
        return new FontResolverInfo(bold ? "LiberationSerif-Bold" : italic ? "LiberationSerif-Italic" : "LiberationSerif-Regular");
    }

    public byte[]? GetFont(string faceName)
    {
        using var stream = typeof(SlipFonts).Assembly.GetManifestResourceStream($"{typeof(SlipFonts).Namespace}.Fonts.{faceName}.ttf");
        if (stream is null)
        {
            return null;
        }

        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}
