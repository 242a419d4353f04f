using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace DichVuCong.Web.Modules.Dossiers.AttachFile;

/// <summary>Limits of attached files (<c>Dossiers:Uploads:*</c>).</summary>
internal sealed class UploadOptions
{
    public const string SectionName = "Dossiers:Uploads";

    [System.ComponentModel.DataAnnotations.Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    [System.ComponentModel.DataAnnotations.Range(1, long.MaxValue)]
    public long MaxDossierBytes { get; set; } = 50 * 1024 * 1024;

    [System.ComponentModel.DataAnnotations.Range(1, 1000)]
    public int MaxFilesPerComponent { get; set; } = 10;

    /// <summary>How often the sweeper looks for stored files no row points at.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A file with no row is removed once it is older than this (a write in progress is younger).</summary>
    public TimeSpan OrphanAfter { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>A file type the portal accepts, found from the first bytes of the content.</summary>
internal sealed record FileKind(string ContentType, string Extension, string Label, string[] Extensions)
{
    public static readonly FileKind Pdf = new("application/pdf", "pdf", "PDF", ["pdf"]);
    public static readonly FileKind Jpeg = new("image/jpeg", "jpg", "JPEG", ["jpg", "jpeg"]);
    public static readonly FileKind Png = new("image/png", "png", "PNG", ["png"]);
    public static readonly FileKind Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX", ["docx"]);
}

/// <summary>What the content is, what it may be called; no rule here trusts the name or a declared length.</summary>
internal static class UploadChecks
{
    public const int MaxNameLength = 150;

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>The kind of a seekable stream's content, or null when it is none of PDF, JPEG, PNG, DOCX.</summary>
    public static FileKind? Detect(Stream content)
    {
        content.Position = 0;
        Span<byte> head = stackalloc byte[8];
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        content.Position = 0;
        if (head.StartsWith(PdfMagic))
        {
            return FileKind.Pdf;
        }

        if (head.StartsWith(JpegMagic))
        {
            return FileKind.Jpeg;
        }

        if (head.StartsWith(PngMagic))
        {
            return FileKind.Png;
        }

        return head.StartsWith(ZipMagic) && IsWordDocument(content) ? FileKind.Docx : null;
    }

    /// <summary>A DOCX is a ZIP with the Open XML content types and a main Word part; any other ZIP is refused.</summary>
    private static bool IsWordDocument(Stream content)
    {
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            return names.Contains("[Content_Types].xml") && names.Contains("word/document.xml");
        }
        catch (InvalidDataException)
        {
            return false;
        }
        finally
        {
            content.Position = 0;
        }
    }

    /// <summary>True when the name carries a folder: '/' or '\' (e.g. "../../etc/passwd.pdf", "C:\x\y.pdf").</summary>
    public static bool HasPath(string? fileName) => fileName is not null && fileName.AsSpan().IndexOfAny('/', '\\') >= 0;

    /// <summary>
    /// The name shown to people: no control or reserved characters, Vietnamese letters kept (NFC), at most
    /// <see cref="MaxNameLength"/> characters, ending in the extension of what the content really is.
    /// </summary>
    public static string CleanName(string? fileName, FileKind kind)
    {
        var text = new StringBuilder();
        foreach (var c in (fileName ?? string.Empty).Normalize(NormalizationForm.FormC))
        {
            if (!char.IsControl(c) && c is not ('/' or '\\' or '<' or '>' or ':' or '"' or '|' or '?' or '*') && char.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                text.Append(char.IsWhiteSpace(c) ? ' ' : c);
            }
        }

        var name = string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.', ' ');
        var dot = name.LastIndexOf('.');
        var extension = dot >= 0 ? name[(dot + 1)..].ToLowerInvariant() : string.Empty;
        // "anh.pdf" that really is a PNG is shown as "anh.pdf.png", so it opens with the right program.
        var (stem, suffix) = dot >= 0 && kind.Extensions.Contains(extension)
            ? (name[..dot], "." + extension)
            : (name, "." + kind.Extension);
        stem = stem.Trim('.', ' ');
        if (stem.Length == 0)
        {
            return "tep-dinh-kem." + kind.Extension;
        }

        var room = MaxNameLength - suffix.Length;
        if (stem.Length > room)
        {
            stem = stem[..room];
            if (char.IsHighSurrogate(stem[^1]))
            {
                stem = stem[..^1];
            }

            stem = stem.TrimEnd('.', ' ');
        }

        return stem + suffix;
    }

    /// <summary>"10 MB", "1 KB", "500 byte": how a limit is written in a message.</summary>
    public static string FormatSize(long bytes)
    {
        const long MiB = 1024 * 1024;
        if (bytes >= MiB)
        {
            return (bytes / (double)MiB).ToString("0.#", CultureInfo.GetCultureInfo("vi-VN")) + " MB";
        }

        return bytes >= 1024
            ? (bytes / 1024.0).ToString("0.#", CultureInfo.GetCultureInfo("vi-VN")) + " KB"
            : bytes.ToString(CultureInfo.InvariantCulture) + " byte";
    }

    /// <summary>The name as written in a message: what the user chose, without control characters, not too long.</summary>
    public static string Quote(string? fileName)
    {
        var shown = new string((fileName ?? string.Empty).Where(c => !char.IsControl(c)).ToArray());
        return "“" + (shown.Length > 80 ? shown[..80] + "…" : shown) + "”";
    }
}
