using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DichVuCong.Web.Common.Time;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>
/// One form of one regime, read from <c>Templates/&lt;regime&gt;/mau-NN.json</c>: its number and title,
/// paper, and the blocks the layout engine draws. Text in blocks binds data with <c>{Path:format|blank}</c>
/// and marks <c>**bold**</c> and <c>*italic*</c> spans; see Templates/README.md.
/// </summary>
internal sealed class SlipTemplate
{
    public required string Form { get; init; }

    public required SlipKind Kind { get; init; }

    /// <summary>As the legal text prints it: "Mẫu số 01".</summary>
    public required string Label { get; init; }

    /// <summary>The form's name, for lists of forms.</summary>
    public required string Title { get; init; }

    public string Paper { get; init; } = "A5";

    public bool Landscape { get; init; }

    public double FontSize { get; init; } = 11;

    /// <summary>Top, right, bottom, left, in millimetres.</summary>
    public double[] Margins { get; init; } = [10, 10, 10, 15];

    /// <summary>Form constants the text reads as <c>{Form.Name}</c>, e.g. the number's suffix.</summary>
    public Dictionary<string, string> Values { get; init; } = [];

    public required List<SlipBlock> Blocks { get; init; }

    /// <summary>Set from the regime's <c>chung.json</c> when loaded.</summary>
    [JsonIgnore]
    public RegimeTemplates Common { get; set; } = null!;
}

/// <summary>What a regime's forms share (<c>chung.json</c>): when it came into force, named fragments, labels of values.</summary>
internal sealed class RegimeTemplates
{
    public required string Name { get; init; }

    public required DateOnly InForceFrom { get; init; }

    public Dictionary<string, List<SlipBlock>> Fragments { get; init; } = [];

    /// <summary>Texts every form of the regime may print as <c>{Form.Name}</c>, e.g. its legal basis.</summary>
    public Dictionary<string, string> Values { get; init; } = [];

    /// <summary>Words printed for enumeration values, e.g. <c>OnTime</c> → "Đúng hạn".</summary>
    public Dictionary<string, string> Labels { get; init; } = [];

    [JsonIgnore]
    public Regime Regime { get; set; }

    [JsonIgnore]
    public List<SlipTemplate> Forms { get; } = [];
}

/// <summary>One block of a layout. <see cref="Type"/> says which of the other properties apply.</summary>
internal sealed class SlipBlock
{
    /// <summary>text, rule, space, columns, table, qr, or use (a fragment of chung.json).</summary>
    public string Type { get; init; } = "text";

    public string? Text { get; init; }

    /// <summary>left, center, right or justify.</summary>
    public string Align { get; init; } = "left";

    public double? Size { get; init; }

    public bool Bold { get; init; }

    public bool Italic { get; init; }

    /// <summary>First-line indent, millimetres.</summary>
    public double Indent { get; init; }

    /// <summary>Points of space before and after.</summary>
    public double SpaceBefore { get; init; }

    public double SpaceAfter { get; init; }

    /// <summary>Millimetres: a rule's or QR code's width, a space's height.</summary>
    public double Width { get; init; }

    public double Height { get; init; }

    /// <summary>Columns side by side (<c>columns</c>), or the columns of a <c>table</c>.</summary>
    public List<SlipColumn> Columns { get; init; } = [];

    /// <summary>Repeat the block (or a table's rows) for each item of this list.</summary>
    public string? Each { get; init; }

    /// <summary>Draw the block only when this value is present (not empty, not zero); <c>!Path</c> when it is not.</summary>
    public string? If { get; init; }

    /// <summary>The fragment name of a <c>use</c> block.</summary>
    public string? Use { get; init; }

    /// <summary>Tables: a row "(1) (2) …" under the header.</summary>
    public bool Numbered { get; init; }

    /// <summary>Tables: blank rows drawn when the list is empty, for filling by hand.</summary>
    public int BlankRows { get; init; }
}

internal sealed class SlipColumn
{
    /// <summary>Share of the width; the shares of a row need not add up to one.</summary>
    public double Width { get; init; } = 1;

    public List<SlipBlock> Blocks { get; init; } = [];

    public string? Header { get; init; }

    /// <summary>Columns with the same group get one header cell spanning them above their own.</summary>
    public string? Group { get; init; }

    public string Align { get; init; } = "left";

    public string? Cell { get; init; }

    /// <summary>A cell split into rows of side-by-side parts (the control sheet's time and signature cells).</summary>
    public List<List<string>>? Parts { get; init; }
}

/// <summary>A run of text in one style, after binding.</summary>
internal sealed record TextRun(string Text, bool Bold, bool Italic);

/// <summary>Where placeholders are looked up: the current list item first, then the data, then the form's values.</summary>
internal sealed record SlipScope(object Root, SlipTemplate Template, object? Item = null, int Index = 0)
{
    public const string Blank = "…………";

    public SlipScope For(object item, int index) => this with { Item = item, Index = index };

    public object? Value(string path)
    {
        if (path == "#")
        {
            return Index;
        }

        if (path.StartsWith("Form.", StringComparison.Ordinal))
        {
            return path[5..] switch
            {
                "Label" => Template.Label,
                "Title" => Template.Title,
                var name => Template.Values.GetValueOrDefault(name) ?? Template.Common.Values.GetValueOrDefault(name),
            };
        }

        var owner = Item is not null && Item.GetType().GetProperty(path.Split('.')[0]) is not null ? Item : Root;
        return Walk(owner, path);
    }

    public IEnumerable<object> Items(string path) => Value(path) is IEnumerable list and not string ? list.Cast<object>() : [];

    /// <summary>Whether the value is there (not empty, not zero); <c>!Path</c> asks the opposite.</summary>
    public bool Present(string path) => path.StartsWith('!') ? !Present(path[1..]) : Value(path) switch
    {
        null => false,
        string s => !string.IsNullOrWhiteSpace(s),
        int i => i != 0,
        bool b => b,
        IEnumerable list => list.Cast<object>().Any(),
        _ => true,
    };

    /// <summary>Binds a template text: placeholders become their values; markup becomes styled runs.</summary>
    public List<TextRun> Bind(string text, bool bold = false, bool italic = false)
    {
        var runs = new List<TextRun>();
        var plain = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                Flush();
                bold = !bold;
                i++;
            }
            else if (text[i] == '*')
            {
                Flush();
                italic = !italic;
            }
            else if (text[i] == '{' && text.IndexOf('}', i) is var end and > 0)
            {
                plain.Append(Format(text[(i + 1)..end]));
                i = end;
            }
            else
            {
                plain.Append(text[i]);
            }
        }

        Flush();
        return runs;

        void Flush()
        {
            if (plain.Length > 0)
            {
                runs.Add(new TextRun(plain.ToString().Normalize(NormalizationForm.FormC), bold, italic));
                plain.Clear();
            }
        }
    }

    /// <summary>The plain text of a template text (for spreadsheets): bound, markup dropped.</summary>
    public string Plain(string text) => string.Concat(Bind(text).Select(r => r.Text));

    private string Format(string placeholder)
    {
        var bar = placeholder.IndexOf('|', StringComparison.Ordinal);
        var blank = bar < 0 ? Blank : placeholder[(bar + 1)..];
        var spec = bar < 0 ? placeholder : placeholder[..bar];
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var path = colon < 0 ? spec : spec[..colon];
        var format = colon < 0 ? null : spec[(colon + 1)..];
        var text = Value(path) switch
        {
            null => null,
            DateTime utc => Time(VietnamTime.ToLocal(utc), format),
            DateOnly date => Day(date, format),
            Enum e => Template.Common.Labels.GetValueOrDefault(e.ToString(), e.ToString()),
            IFormattable number when format is not null => number.ToString(format, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        if (string.IsNullOrWhiteSpace(text))
        {
            return blank;
        }

        return format == "upper" ? text.ToUpper(CultureInfo.GetCultureInfo("vi-VN")) : text;
    }

    private static string Time(DateTime local, string? format) => format switch
    {
        // "… giờ … phút, ngày …": the slips' time fields (FORMS.md), with the date as people read it.
        "time" => local.ToString("HH 'giờ' mm 'phút, ngày' dd/MM/yyyy", CultureInfo.InvariantCulture),
        "date" => local.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
        "long" => Day(DateOnly.FromDateTime(local), "long"),
        null => local.ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture),
        // Any other format is a .NET one, e.g. "dd/MM/yyyy HH:mm" (the receipt's payment time).
        _ => local.ToString(format, CultureInfo.InvariantCulture),
    };

    private static string Day(DateOnly date, string? format) => format == "long"
        ? date.ToString("'ngày' dd 'tháng' MM 'năm' yyyy", CultureInfo.InvariantCulture)
        : date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static object? Walk(object from, string path)
    {
        object? current = from;
        foreach (var name in path.Split('.'))
        {
            current = current?.GetType().GetProperty(name)?.GetValue(current);
        }

        return current;
    }
}

/// <summary>Reads the embedded templates of every regime.</summary>
internal static class SlipTemplates
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IReadOnlyDictionary<Regime, RegimeTemplates> Load()
    {
        var assembly = typeof(SlipTemplates).Assembly;
        var regimes = new Dictionary<Regime, RegimeTemplates>();
        // Named by their path under Templates/ (with the build machine's separator).
        var resources = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Slips/Templates/", StringComparison.Ordinal))
            .ToDictionary(n => n.Replace('\\', '/'), n => n);
        foreach (var regime in Enum.GetValues<Regime>())
        {
            var folder = $"Slips/Templates/{Slug(regime)}/";
            var common = Read<RegimeTemplates>(resources[folder + "chung.json"]);
            common.Regime = regime;
            foreach (var name in resources.Keys.Where(n => n.StartsWith(folder + "mau-", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var form = Read<SlipTemplate>(resources[name]);
                form.Common = common;
                common.Forms.Add(form);
            }

            regimes[regime] = common;
        }

        return regimes;

        T Read<T>(string name)
        {
            using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException("Missing slip template " + name);
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidOperationException("Empty slip template " + name);
        }
    }

    /// <summary>
    /// A form outside the one-stop regimes (the fee receipt, whose rules are the invoice and receipt ones), read from
    /// <c>Templates/&lt;file&gt;</c>. It stands alone: no <c>chung.json</c>, so its <c>{Form.X}</c> are its own values.
    /// </summary>
    public static SlipTemplate LoadSingle(string file)
    {
        var assembly = typeof(SlipTemplates).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.Replace('\\', '/') == "Slips/Templates/" + file);
        using var stream = assembly.GetManifestResourceStream(name)!;
        var form = JsonSerializer.Deserialize<SlipTemplate>(stream, Json) ?? throw new InvalidOperationException("Empty slip template " + file);
        form.Common = new RegimeTemplates { Name = form.Title, InForceFrom = DateOnly.MinValue };
        return form;
    }

    /// <summary>The regime's folder and its word in addresses: tt01-2018, tt03-2025.</summary>
    public static string Slug(Regime regime) => regime switch
    {
        Regime.Tt01Of2018 => "tt01-2018",
        Regime.Tt03Of2025 => "tt03-2025",
        _ => throw new ArgumentOutOfRangeException(nameof(regime)),
    };
}
