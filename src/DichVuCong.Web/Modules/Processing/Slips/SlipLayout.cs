using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>
/// The one layout engine: turns any template's blocks into a flow of boxes (a line of text, a table
/// row, a row of columns...), cuts the flow into pages (a table's header repeats on each), and draws it.
/// Everything a form says and where is in its template; nothing here knows one form from another.
/// </summary>
internal sealed class SlipLayout
{
    private const double Millimetre = 72 / 25.4;
    private const double LineSpacing = 1.15;
    private const double CellPadding = 2.5;
    private static readonly XPen Thin = new(XColors.Black, 0.5);

    private readonly SlipTemplate template;
    private readonly XGraphics measure;
    private readonly Dictionary<(bool Bold, bool Italic, double Size), XFont> fonts = [];

    private SlipLayout(SlipTemplate template, XGraphics measure)
    {
        this.template = template;
        this.measure = measure;
    }

    /// <summary>A piece of the flow: its height, how it draws at a top-left point, and the header to repeat above it on a new page.</summary>
    private sealed record Box(double Height, Action<XGraphics, double, double> Draw)
    {
        public Box? Header { get; init; }

        public bool KeepWithNext { get; init; }
    }

    public static byte[] Render(SlipTemplate template, object data)
    {
        SlipFonts.Install();
        var (width, height) = PaperSize(template);
        var margins = template.Margins.Select(m => m * Millimetre).ToArray();
        using var measure = XGraphics.CreateMeasureContext(new XSize(width, height), XGraphicsUnit.Point, XPageDirection.Downwards);
        var layout = new SlipLayout(template, measure);
        var flow = layout.Flow(template.Blocks, new SlipScope(data, template), width - margins[1] - margins[3]);
        var pages = Paginate(flow, margins[0], height - margins[2]);

        using var document = new PdfDocument();
        document.Info.Title = $"{template.Label}: {template.Title}";
        document.Info.Creator = "Cổng Dịch vụ công";
        for (var number = 1; number <= pages.Count; number++)
        {
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(width);
            page.Height = XUnit.FromPoint(height);
            using var graphics = XGraphics.FromPdfPage(page);
            foreach (var (box, top) in pages[number - 1])
            {
                box.Draw(graphics, margins[3], top);
            }

            if (pages.Count > 1)
            {
                var footer = layout.Font(false, true, template.FontSize - 2);
                graphics.DrawString($"Trang {number}/{pages.Count}", footer, XBrushes.Black, width / 2, height - margins[2] / 2, XStringFormats.BaseLineCenter);
            }
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    private static (double Width, double Height) PaperSize(SlipTemplate template)
    {
        var (w, h) = template.Paper switch
        {
            "A4" => (210.0, 297.0),
            "A5" => (148.0, 210.0),
            _ => throw new InvalidOperationException($"Unknown paper {template.Paper} in {template.Label}"),
        };
        return template.Landscape ? (h * Millimetre, w * Millimetre) : (w * Millimetre, h * Millimetre);
    }

    private static List<List<(Box Box, double Top)>> Paginate(List<Box> flow, double top, double bottom)
    {
        var pages = new List<List<(Box, double)>> { new() };
        var y = top;
        for (var i = 0; i < flow.Count; i++)
        {
            var box = flow[i];
            var needed = box.Height + (box.KeepWithNext && i + 1 < flow.Count ? flow[i + 1].Height : 0);
            if (y + needed > bottom && pages[^1].Count > 0)
            {
                pages.Add([]);
                y = top;
                if (box.Header is { } header)
                {
                    pages[^1].Add((header, y));
                    y += header.Height;
                }
            }

            pages[^1].Add((box, y));
            y += box.Height;
        }

        return pages;
    }

    private XFont Font(bool bold, bool italic, double size)
    {
        if (!fonts.TryGetValue((bold, italic, size), out var font))
        {
            var style = bold ? XFontStyleEx.Bold : italic ? XFontStyleEx.Italic : XFontStyleEx.Regular;
            font = new XFont(SlipFonts.Family, size, style, new XPdfFontOptions(PdfFontEncoding.Unicode));
            fonts[(bold, italic, size)] = font;
        }

        return font;
    }

    private List<Box> Flow(IEnumerable<SlipBlock> blocks, SlipScope scope, double width)
    {
        var boxes = new List<Box>();
        foreach (var block in blocks)
        {
            if (block.If is not null && !scope.Present(block.If))
            {
                continue;
            }

            if (block.Each is not null && block.Type != "table")
            {
                var index = 0;
                foreach (var item in scope.Items(block.Each))
                {
                    boxes.AddRange(Emit(block, scope.For(item, ++index), width));
                }

                continue;
            }

            boxes.AddRange(Emit(block, scope, width));
        }

        return boxes;
    }

    private List<Box> Emit(SlipBlock block, SlipScope scope, double width)
    {
        var boxes = new List<Box>();
        if (block.SpaceBefore > 0)
        {
            boxes.Add(Space(block.SpaceBefore));
        }

        switch (block.Type)
        {
            case "use":
                var fragment = template.Common.Fragments.GetValueOrDefault(block.Use ?? string.Empty)
                    ?? throw new InvalidOperationException($"{template.Label}: no fragment named {block.Use}");
                boxes.AddRange(Flow(fragment, scope, width));
                break;
            case "text":
                var size = block.Size ?? template.FontSize;
                boxes.AddRange(Paragraph(scope.Bind(block.Text ?? string.Empty, block.Bold, block.Italic), size, block.Align, width, block.Indent * Millimetre));
                break;
            case "rule":
                var length = Math.Min(block.Width * Millimetre, width);
                var start = Offset(block.Align, width, length);
                boxes.Add(new Box(5, (g, x, y) => g.DrawLine(Thin, x + start, y + 2.5, x + start + length, y + 2.5)));
                break;
            case "space":
                boxes.Add(Space(block.Height * Millimetre));
                break;
            case "columns":
                boxes.Add(Columns(block, scope, width));
                break;
            case "table":
                boxes.AddRange(Table(block, scope, width));
                break;
            case "qr":
                boxes.Add(Qr(scope.Plain(block.Text ?? "{LookupUrl}"), Math.Min(block.Width * Millimetre, width), block.Align, width));
                break;
            default:
                throw new InvalidOperationException($"{template.Label}: unknown block type {block.Type}");
        }

        if (block.SpaceAfter > 0)
        {
            boxes.Add(Space(block.SpaceAfter));
        }

        return boxes;
    }

    private static Box Space(double height) => new(height, (_, _, _) => { });

    private static double Offset(string align, double width, double used) => align switch
    {
        "center" => (width - used) / 2,
        "right" => width - used,
        _ => 0,
    };

    /// <summary>Blocks side by side; drawn as one piece, never split across pages.</summary>
    private Box Columns(SlipBlock block, SlipScope scope, double width)
    {
        var shares = block.Columns.Sum(c => c.Width);
        var placed = new List<(double Left, List<Box> Boxes)>();
        var left = 0.0;
        foreach (var column in block.Columns)
        {
            var columnWidth = width * column.Width / shares;
            placed.Add((left + 1, Flow(column.Blocks, scope, columnWidth - 2)));
            left += columnWidth;
        }

        var height = placed.Max(p => p.Boxes.Sum(b => b.Height));
        return new Box(height, (g, x, y) =>
        {
            foreach (var (columnLeft, boxes) in placed)
            {
                var top = y;
                foreach (var box in boxes)
                {
                    box.Draw(g, x + columnLeft, top);
                    top += box.Height;
                }
            }
        });
    }

    /// <summary>Lines of styled text, broken at spaces (or inside a word longer than the line), one box per line.</summary>
    private List<Box> Paragraph(List<TextRun> runs, double size, string align, double width, double indent)
    {
        var lines = new List<List<(string Text, XFont Font, double Width, bool Space)>> { new() };
        var ends = new List<bool>();
        var used = 0.0;
        foreach (var word in Words(runs, size))
        {
            if (word is null)
            {
                ends.Add(true);
                lines.Add([]);
                used = 0;
                continue;
            }

            var available = width - (lines.Count == 1 ? indent : 0);
            var line = lines[^1];
            var gapBefore = line.Count > 0 && word[0].Space ? SpaceWidth(word[0].Font) : 0;
            var wordWidth = word.Sum(p => p.Width);
            if (line.Count > 0 && used + gapBefore + wordWidth > available)
            {
                ends.Add(false);
                lines.Add(line = []);
                used = gapBefore = 0;
            }

            var pieces = wordWidth > available ? word.SelectMany(p => Split(p, available)) : word;
            var first = true;
            foreach (var piece in pieces)
            {
                var gap = first ? gapBefore : 0;
                if (line.Count > 0 && used + gap + piece.Width > available + 0.01)
                {
                    ends.Add(false);
                    lines.Add(line = []);
                    used = gap = 0;
                }

                line.Add(piece with { Space = gap > 0 });
                used += gap + piece.Width;
                first = false;
            }
        }

        ends.Add(true);
        var height = size * LineSpacing;
        var boxes = new List<Box>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var lineIndent = i == 0 ? indent : 0;
            var available = width - lineIndent;
            var spaces = line.Select(p => p.Space ? SpaceWidth(p.Font) : 0).ToList();
            var natural = line.Sum(p => p.Width) + spaces.Sum();
            var gaps = line.Count(p => p.Space);
            var stretch = align == "justify" && !ends[i] && gaps > 0 ? (available - natural) / gaps : 0;
            var start = lineIndent + (align == "justify" ? 0 : Offset(align, available, natural));
            // Liberation Serif: ascent 0.891 em, descent 0.216 em; the line's spare height goes above.
            var baseline = height - (0.216 * size);
            var pieces = line;
            boxes.Add(new Box(height, (g, x, y) =>
            {
                // Words of one style go out as one string with its spaces, so the PDF's text reads (and searches) as written.
                var at = x + start;
                var segment = new System.Text.StringBuilder();
                var segmentAt = at;
                XFont? font = null;
                for (var p = 0; p < pieces.Count; p++)
                {
                    var piece = pieces[p];
                    var gap = spaces[p] + (piece.Space ? stretch : 0);
                    if (stretch == 0 && segment.Length > 0 && piece.Font == font)
                    {
                        segment.Append(piece.Space ? " " : string.Empty).Append(piece.Text);
                    }
                    else
                    {
                        Flush();
                        segment.Append(piece.Text);
                        segmentAt = at + gap;
                        font = piece.Font;
                    }

                    at += gap + piece.Width;
                }

                Flush();

                void Flush()
                {
                    if (segment.Length > 0)
                    {
                        g.DrawString(segment.ToString(), font!, XBrushes.Black, segmentAt, y + baseline, XStringFormats.BaseLineLeft);
                        segment.Clear();
                    }
                }
            }));
        }

        return boxes;
    }

    private double SpaceWidth(XFont font) => measure.MeasureString(" ", font).Width;

    /// <summary>The words of the runs, each a list of pieces (a word may change style midway); null for a line break.</summary>
    private IEnumerable<List<(string Text, XFont Font, double Width, bool Space)>?> Words(List<TextRun> runs, double size)
    {
        List<(string Text, XFont Font, double Width, bool Space)>? word = null;
        var spaceBefore = false;
        foreach (var run in runs)
        {
            var font = Font(run.Bold, run.Italic, size);
            var start = 0;
            for (var i = 0; i <= run.Text.Length; i++)
            {
                var at = i < run.Text.Length ? run.Text[i] : '\0';
                if (i < run.Text.Length && !char.IsWhiteSpace(at))
                {
                    continue;
                }

                if (i > start)
                {
                    var text = run.Text[start..i];
                    var piece = (text, font, measure.MeasureString(text, font).Width, spaceBefore);
                    if (word is not null && !spaceBefore)
                    {
                        word.Add(piece);
                    }
                    else
                    {
                        if (word is not null)
                        {
                            yield return word;
                        }

                        word = [piece];
                    }

                    spaceBefore = false;
                }

                if (i < run.Text.Length)
                {
                    if (at == '\n')
                    {
                        if (word is not null)
                        {
                            yield return word;
                        }

                        word = null;
                        yield return null;
                        spaceBefore = false;
                    }
                    else
                    {
                        spaceBefore = true;
                    }
                }

                start = i + 1;
            }
        }

        if (word is not null)
        {
            yield return word;
        }
    }

    /// <summary>A word wider than the line, cut where it fits: after a hyphen, slash or '?' when there is one (a dossier code, an address).</summary>
    private IEnumerable<(string Text, XFont Font, double Width, bool Space)> Split((string Text, XFont Font, double Width, bool Space) piece, double available)
    {
        var start = 0;
        while (start < piece.Text.Length)
        {
            var end = start + 1;
            while (end < piece.Text.Length && measure.MeasureString(piece.Text[start..(end + 1)], piece.Font).Width <= available)
            {
                end++;
            }

            if (end < piece.Text.Length && piece.Text.LastIndexOfAny(['-', '/', '?'], end - 1, end - start) is var mark and > 0 && mark > start)
            {
                end = mark + 1;
            }

            var text = piece.Text[start..end];
            yield return (text, piece.Font, measure.MeasureString(text, piece.Font).Width, start == 0 && piece.Space);
            start = end;
        }
    }

    /// <summary>A QR code drawn as one square per dark module (QRCoder's matrix includes the quiet zone).</summary>
    private static Box Qr(string text, double size, string align, double width)
    {
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = code.ModuleMatrix;
        var module = size / matrix.Count;
        var dark = new List<(int Row, int Column)>();
        for (var row = 0; row < matrix.Count; row++)
        {
            for (var column = 0; column < matrix[row].Length; column++)
            {
                if (matrix[row][column])
                {
                    dark.Add((row, column));
                }
            }
        }

        var left = Offset(align, width, size);
        return new Box(size, (g, x, y) =>
        {
            foreach (var (row, column) in dark)
            {
                g.DrawRectangle(XBrushes.Black, x + left + (column * module), y + (row * module), module, module);
            }
        });
    }

    private List<Box> Table(SlipBlock block, SlipScope scope, double width)
    {
        var shares = block.Columns.Sum(c => c.Width);
        var widths = block.Columns.Select(c => width * c.Width / shares).ToArray();
        var lefts = widths.Select((_, i) => widths.Take(i).Sum()).ToArray();
        var size = block.Size ?? template.FontSize - 1;

        var header = TableHeader(block, scope, widths, lefts, size);
        var rows = new List<Box> { header };
        var items = scope.Items(block.Each ?? string.Empty).ToList();
        var count = items.Count > 0 ? items.Count : block.BlankRows;
        for (var i = 0; i < count; i++)
        {
            var rowScope = i < items.Count ? scope.For(items[i], i + 1) : null;
            rows.Add(TableRow(block.Columns, rowScope, widths, lefts, size) with { Header = header });
        }

        return rows;
    }

    private Box TableHeader(SlipBlock block, SlipScope scope, double[] widths, double[] lefts, double size)
    {
        var columns = block.Columns;
        var grouped = columns.Any(c => c.Group is not null);
        var cells = new List<(double Left, double Width, int Level, int Span, List<Box> Lines)>();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            if (column.Group is { } group && (i == 0 || columns[i - 1].Group != group))
            {
                var span = columns.Skip(i).TakeWhile(c => c.Group == group).Count();
                var spanWidth = widths.Skip(i).Take(span).Sum();
                cells.Add((lefts[i], spanWidth, 0, 1, CellText(scope.Bind(group, bold: true), size, "center", spanWidth)));
            }

            var level = column.Group is null ? 0 : 1;
            cells.Add((lefts[i], widths[i], level, column.Group is null && grouped ? 2 : 1, CellText(scope.Bind(column.Header ?? string.Empty, bold: true), size, "center", widths[i])));
        }

        var levelHeights = new double[grouped ? 2 : 1];
        foreach (var cell in cells.Where(c => c.Span == 1))
        {
            levelHeights[cell.Level] = Math.Max(levelHeights[cell.Level], Height(cell.Lines));
        }

        var spanning = cells.Where(c => c.Span == 2).Select(c => Height(c.Lines)).DefaultIfEmpty(0).Max();
        if (grouped && spanning > levelHeights.Sum())
        {
            levelHeights[1] = spanning - levelHeights[0];
        }

        var numbers = block.Numbered
            ? columns.Select((_, i) => CellText([new TextRun($"({i + 1})", false, true)], size, "center", widths[i])).ToList()
            : [];
        var numbersHeight = numbers.Count > 0 ? numbers.Max(Height) : 0;
        var total = levelHeights.Sum() + numbersHeight;
        return new Box(total, (g, x, y) =>
        {
            foreach (var (left, cellWidth, level, span, lines) in cells)
            {
                var top = y + (level == 1 ? levelHeights[0] : 0);
                var height = span == 2 ? levelHeights.Sum() : levelHeights[level];
                Frame(g, x + left, top, cellWidth, height);
                DrawLines(g, lines, x + left, top + ((height - Height(lines)) / 2));
            }

            for (var i = 0; i < numbers.Count; i++)
            {
                Frame(g, x + lefts[i], y + levelHeights.Sum(), widths[i], numbersHeight);
                DrawLines(g, numbers[i], x + lefts[i], y + levelHeights.Sum());
            }
        })
        { KeepWithNext = true };
    }

    /// <summary>One row; a cell with parts is a small grid of its own whose last row takes what height is left.</summary>
    private Box TableRow(List<SlipColumn> columns, SlipScope? scope, double[] widths, double[] lefts, double size)
    {
        var cells = new List<List<(double Width, List<List<Box>> Parts)>>();
        for (var i = 0; i < columns.Count; i++)
        {
            var rowsOfParts = columns[i].Parts ?? [[columns[i].Cell ?? string.Empty]];
            cells.Add([.. rowsOfParts.Select(parts => (widths[i], parts.Select(text =>
                CellText(scope?.Bind(text) ?? [], size, columns[i].Align, widths[i] / parts.Count)).ToList()))]);
        }

        var subHeights = cells.Select(rows => rows.Select(r => r.Parts.Max(Height)).ToList()).ToList();
        var height = subHeights.Max(h => h.Sum());
        if (scope is null)
        {
            height = Math.Max(height, size * LineSpacing * 2);
        }

        return new Box(height, (g, x, y) =>
        {
            for (var i = 0; i < cells.Count; i++)
            {
                var top = y;
                for (var r = 0; r < cells[i].Count; r++)
                {
                    var rowHeight = r == cells[i].Count - 1 ? y + height - top : subHeights[i][r];
                    var parts = cells[i][r].Parts;
                    var partWidth = widths[i] / parts.Count;
                    for (var p = 0; p < parts.Count; p++)
                    {
                        Frame(g, x + lefts[i] + (p * partWidth), top, partWidth, rowHeight);
                        DrawLines(g, parts[p], x + lefts[i] + (p * partWidth), top);
                    }

                    top += rowHeight;
                }
            }
        });
    }

    private List<Box> CellText(List<TextRun> runs, double size, string align, double width)
    {
        var lines = runs.Count == 0 ? [] : Paragraph(runs, size, align, width - (2 * CellPadding), 0);
        return [Space(CellPadding / 2), .. lines, Space(CellPadding / 2)];
    }

    private static double Height(List<Box> boxes) => boxes.Sum(b => b.Height);

    private static void DrawLines(XGraphics g, List<Box> lines, double x, double y)
    {
        foreach (var line in lines)
        {
            line.Draw(g, x + CellPadding, y);
            y += line.Height;
        }
    }

    /// <summary>Cell borders as lines, not rectangles: rectangles are the QR code's modules alone.</summary>
    private static void Frame(XGraphics g, double x, double y, double width, double height)
    {
        g.DrawLine(Thin, x, y, x + width, y);
        g.DrawLine(Thin, x, y + height, x + width, y + height);
        g.DrawLine(Thin, x, y, x, y + height);
        g.DrawLine(Thin, x + width, y, x + width, y + height);
    }
}
