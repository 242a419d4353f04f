using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace DichVuCong.Web.Modules.Catalog;

/// <summary>One paragraph of a form: its text and how it is set (title, center, right, bold, italic, text).</summary>
internal sealed record DocxParagraph(string Text, string Style = "text");

/// <summary>Writes a form template as a real Word document (A4, Times New Roman 13 pt, as official forms are).</summary>
internal static class DocxWriter
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public static void Write(Stream output, IEnumerable<DocxParagraph> paragraphs)
    {
        using var document = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document, autoSave: true);
        var main = document.AddMainDocumentPart();
        var body = new Body();
        foreach (var paragraph in paragraphs)
        {
            body.Append(Paragraph(paragraph));
        }

        body.Append(new SectionProperties(
            new PageSize { Width = 11906U, Height = 16838U },
            new PageMargin { Top = 1134, Bottom = 1134, Left = 1701U, Right = 1134U, Header = 720U, Footer = 720U, Gutter = 0U }));
        main.Document = new Document(body);
        main.Document.Save();
    }

    private static Paragraph Paragraph(DocxParagraph source)
    {
        var justification = source.Style switch
        {
            "title" or "center" => JustificationValues.Center,
            "right" => JustificationValues.Right,
            _ => JustificationValues.Both,
        };
        var runProperties = new RunProperties(
            new RunFonts { Ascii = "Times New Roman", HighAnsi = "Times New Roman", ComplexScript = "Times New Roman" },
            new FontSize { Val = source.Style == "title" ? "28" : "26" });
        if (source.Style is "title" or "bold")
        {
            runProperties.Append(new Bold());
        }

        if (source.Style == "italic")
        {
            runProperties.Append(new Italic());
        }

        var properties = new ParagraphProperties(
            new Justification { Val = justification },
            new SpacingBetweenLines { After = "80", Line = "288", LineRule = LineSpacingRuleValues.Auto });
        return new Paragraph(properties, new Run(runProperties, new Text(source.Text) { Space = SpaceProcessingModeValues.Preserve }));
    }
}
