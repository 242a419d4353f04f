using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>
/// The register as a spreadsheet, from the same template as its PDF: the title lines, then the table's
/// columns (grouped headers merged above their own) and one row per dossier, as plain text.
/// </summary>
internal static class RegisterWorkbook
{
    private const uint Bold = 1, Header = 2, Cell = 3;

    public static byte[] Write(SlipTemplate template, RegisterData data)
    {
        var table = Tables(template.Blocks, template).FirstOrDefault() ?? throw new InvalidOperationException($"{template.Label} has no table.");
        var scope = new SlipScope(data, template);
        var columns = table.Columns;
        var grouped = columns.Any(c => c.Group is not null);
        var rows = new List<Row>();
        var merges = new List<string>();

        rows.Add(TextRow(1, [scope.Plain(template.Values.GetValueOrDefault("Unit", "{Agency.Name:upper}"))], Bold));
        rows.Add(TextRow(2, [template.Title.ToUpperInvariant()], Bold));
        rows.Add(TextRow(3, [scope.Plain(template.Values.GetValueOrDefault("Range", "{From} – {To}"))], 0));

        uint next = 5;
        if (grouped)
        {
            var top = new List<string?>();
            for (var i = 0; i < columns.Count; i++)
            {
                var column = columns[i];
                var firstOfGroup = column.Group is not null && (i == 0 || columns[i - 1].Group != column.Group);
                top.Add(column.Group is null ? scope.Plain(column.Header ?? string.Empty) : firstOfGroup ? scope.Plain(column.Group!) : string.Empty);
                if (column.Group is null)
                {
                    merges.Add($"{Name(i)}{next}:{Name(i)}{next + 1}");
                }
                else if (firstOfGroup)
                {
                    var span = columns.Skip(i).TakeWhile(c => c.Group == column.Group).Count();
                    merges.Add($"{Name(i)}{next}:{Name(i + span - 1)}{next}");
                }
            }

            rows.Add(TextRow(next++, top, Header));
        }

        rows.Add(TextRow(next++, [.. columns.Select(c => c.Group is null && grouped ? string.Empty : scope.Plain(c.Header ?? string.Empty))], Header));
        var index = 0;
        foreach (var item in scope.Items(table.Each ?? string.Empty))
        {
            var row = scope.For(item, ++index);
            rows.Add(TextRow(next++, [.. columns.Select(c => row.Plain(string.Join(" ", c.Parts?.SelectMany(p => p) ?? [c.Cell ?? string.Empty])))], Cell));
        }

        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheet = workbook.AddNewPart<WorksheetPart>();
            var shares = columns.Sum(c => c.Width);
            var widths = new Columns(columns.Select((c, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = Math.Max(6, 200 * c.Width / shares), CustomWidth = true }));
            var worksheet = new Worksheet(widths, new SheetData(rows));
            if (merges.Count > 0)
            {
                worksheet.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
            }

            sheet.Worksheet = worksheet;
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheet), SheetId = 1, Name = "Sổ theo dõi hồ sơ" }));
        }

        return output.ToArray();
    }

    private static IEnumerable<SlipBlock> Tables(IEnumerable<SlipBlock> blocks, SlipTemplate template) => blocks.SelectMany(b => b.Type switch
    {
        "table" => [b],
        "use" => Tables(template.Common.Fragments.GetValueOrDefault(b.Use ?? string.Empty) ?? [], template),
        "columns" => b.Columns.SelectMany(c => Tables(c.Blocks, template)),
        _ => [],
    });

    private static Row TextRow(uint number, IEnumerable<string?> texts, uint style) =>
        new(texts.Select((text, i) => new Cell
        {
            CellReference = Name(i) + number,
            DataType = CellValues.InlineString,
            StyleIndex = style,
            InlineString = new InlineString(new Text(text ?? string.Empty) { Space = SpaceProcessingModeValues.Preserve }),
        }))
        { RowIndex = number };

    private static string Name(int column) => column < 26 ? ((char)('A' + column)).ToString() : Name((column / 26) - 1) + (char)('A' + (column % 26));

    private static Stylesheet Styles()
    {
        static Font Font(bool bold) => bold
            ? new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Times New Roman" })
            : new Font(new FontSize { Val = 11 }, new FontName { Val = "Times New Roman" });
        var thin = new Border(
            new LeftBorder { Style = BorderStyleValues.Thin },
            new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin },
            new BottomBorder { Style = BorderStyleValues.Thin },
            new DiagonalBorder());
        return new Stylesheet(
            new Fonts(Font(false), Font(true)),
            new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })),
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), thin),
            new CellFormats(
                new CellFormat(),
                new CellFormat { FontId = 1, ApplyFont = true },
                new CellFormat(new Alignment { Horizontal = HorizontalAlignmentValues.Center, Vertical = VerticalAlignmentValues.Center, WrapText = true })
                { FontId = 1, BorderId = 1, ApplyFont = true, ApplyBorder = true, ApplyAlignment = true },
                new CellFormat(new Alignment { Vertical = VerticalAlignmentValues.Top, WrapText = true }) { BorderId = 1, ApplyBorder = true, ApplyAlignment = true }));
    }
}
