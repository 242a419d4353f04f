using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Catalog;

internal enum FeeKind
{
    /// <summary>One amount per copy (per case when the item names no copies field).</summary>
    Fixed = 1,

    /// <summary>An amount per unit (page, sheet) priced by tiers, optionally capped per copy.</summary>
    PerUnit = 2,
}

/// <summary>Units <see cref="From"/>..<see cref="To"/> (1-based, inclusive; no end = every unit after) cost <see cref="Each"/> VND each.</summary>
internal sealed record FeeTier(int From, int? To, long Each);

/// <summary>
/// The closed set of conditions an exemption can test. Kept small on purpose: each is something the portal knows
/// for certain when a dossier is sent; what only an officer can check (hộ nghèo, người có công…) stays in the
/// catalog's fee text and is settled at the desk.
/// </summary>
internal enum FeeCondition
{
    /// <summary>The dossier is submitted online (e.g. NQ 23/2026/NQ-HĐND: 0 đ for lệ phí hộ tịch, GPXD… online).</summary>
    [JsonStringEnumMemberName("online")]
    Online = 1,

    /// <summary>The e-form field <see cref="FeeExemption.Field"/> holds exactly <see cref="FeeExemption.Value"/>.</summary>
    [JsonStringEnumMemberName("field-equals")]
    FieldEquals = 2,

    /// <summary>
    /// The date in e-form field <see cref="FeeExemption.Field"/> is at most <see cref="FeeExemption.Days"/> days before
    /// the day of submission: registering on time (khai sinh within 60 days of birth, khai tử within 15 days of death,
    /// Luật Hộ tịch 2014 Điều 15 and 33). A missing or unreadable date does not exempt.
    /// </summary>
    [JsonStringEnumMemberName("date-within")]
    DateWithin = 3,
}

/// <summary>
/// A case in which the item costs nothing. <see cref="Reason"/> is shown to people as is ("Miễn: {reason}"), so it
/// names the rule and its legal basis. <see cref="From"/> and <see cref="Until"/> (Vietnam dates, inclusive) bound
/// the days of submission the exemption covers, for resolutions in force from or until a date.
/// </summary>
internal sealed record FeeExemption(string Reason, FeeCondition Condition, string? Field = null, string? Value = null, int? Days = null, DateOnly? From = null, DateOnly? Until = null);

/// <summary>
/// One item of a procedure's fee schedule (phí, lệ phí), the computable counterpart of <see cref="ProcedureChannel.FeeText"/>.
/// A row with an <see cref="AgencyId"/> is that agency's own price: it replaces the general rows (no agency) with the
/// same <see cref="Name"/> for dossiers of that agency. Tiers and exemptions are small documents read and written
/// whole, so they are JSON columns.
/// </summary>
internal sealed class FeeItem
{
    public int Id { get; private set; }

    public int ProcedureId { get; set; }

    /// <summary>Null: every agency of the procedure.</summary>
    public int? AgencyId { get; set; }

    public int SortOrder { get; set; }

    /// <summary>What is charged, e.g. "Phí chứng thực bản sao", "Lệ phí đăng ký khai sinh".</summary>
    public required string Name { get; set; }

    public FeeKind Kind { get; set; }

    /// <summary>For <see cref="FeeKind.Fixed"/>: VND per copy (or per case).</summary>
    public long Amount { get; set; }

    /// <summary>For <see cref="FeeKind.PerUnit"/>: the price of each unit by its position.</summary>
    public List<FeeTier> Tiers { get; set; } = [];

    /// <summary>What a unit is, in words: "trang".</summary>
    public string? Unit { get; set; }

    /// <summary>For <see cref="FeeKind.PerUnit"/>: the e-form field giving the number of units (e.g. <c>pageCount</c>).</summary>
    public string? UnitField { get; set; }

    /// <summary>The e-form field giving the number of copies (e.g. <c>copyCount</c>); null, or the field left out of the form: one.</summary>
    public string? CopiesField { get; set; }

    /// <summary>At most this many VND per copy (chứng thực: 200.000 đ/bản).</summary>
    public long? CapPerCopy { get; set; }

    /// <summary>Căn cứ: the document that sets the amount.</summary>
    public string? LegalBasis { get; set; }

    public List<FeeExemption> Exemptions { get; set; } = [];

    /// <summary>The item's price in words, for the procedure page: "2.000 đ/trang (trang 1–2); 1.000 đ/trang (từ trang 3); tối đa 200.000 đ/bản".</summary>
    public string PriceText()
    {
        var unit = Unit ?? "đơn vị";
        var text = Kind == FeeKind.Fixed
            ? Formats.Money(Amount) + (CopiesField is null ? string.Empty : "/bản")
            : string.Join("; ", Tiers.Select(t => $"{Formats.Money(t.Each)}/{unit} ({TierRange(t, unit)})"));
        return CapPerCopy is { } cap ? $"{text}; tối đa {Formats.Money(cap)}/bản" : text;
    }

    /// <summary>An exemption as a list item, with the days it covers: "Nộp trực tuyến (NQ 23/2026/NQ-HĐND), từ ngày 08/08/2026".</summary>
    public static string ExemptionText(FeeExemption e) => (e.Reason.Length == 0 ? e.Reason : char.ToUpper(e.Reason[0], Formats.Vietnamese) + e.Reason[1..])
        + (e.From is { } from ? ", từ ngày " + Formats.Date(from) : string.Empty)
        + (e.Until is { } until ? ", đến hết ngày " + Formats.Date(until) : string.Empty);

    private static string TierRange(FeeTier t, string unit) => t.To switch
    {
        null => t.From <= 1 ? $"mọi {unit}" : $"từ {unit} thứ {t.From}",
        { } to when to == t.From => $"{unit} thứ {t.From}",
        { } to => $"{unit} {t.From}–{to}",
    };
}

/// <summary>What a fee depends on: the dossier's e-form values, the Vietnam day it is sent, whether online, and its agency.</summary>
internal sealed record FeeInput(IReadOnlyDictionary<string, string?> Values, DateOnly SubmittedOn, bool Online, int? AgencyId);

/// <summary>One item of a quote. <see cref="Known"/> is false when the e-form did not give what the item needs.</summary>
internal sealed record FeeLine(string Name, long Amount, string Explanation, bool Known = true);

/// <summary>What a dossier owes: the sum of its lines; <see cref="Complete"/> is false when a line could not be worked out.</summary>
internal sealed record FeeQuote(long Total, IReadOnlyList<FeeLine> Lines)
{
    public bool Complete => Lines.All(l => l.Known);

    /// <summary>One line per item, "Name: explanation", as kept in the dossier's fee details.</summary>
    public string Details => string.Join('\n', Lines.Select(l => $"{l.Name}: {l.Explanation}"));
}

/// <summary>
/// Works out phí, lệ phí from a procedure's <see cref="FeeItem"/>s. Pure: the same items and input always give the
/// same quote, so the review page, the sent dossier and the tests agree. All money is whole VND in <see cref="long"/>.
/// </summary>
internal static class Fees
{
    public static FeeQuote Compute(IEnumerable<FeeItem> items, FeeInput input)
    {
        var all = items.ToList();
        var own = all.Where(i => i.AgencyId is not null && i.AgencyId == input.AgencyId).ToList();
        var applicable = own.Concat(all.Where(i => i.AgencyId is null && own.All(o => o.Name != i.Name)))
            .OrderBy(i => i.SortOrder).ThenBy(i => i.Name, StringComparer.Ordinal);
        var lines = applicable.Select(i => Line(i, input)).ToList();
        return new FeeQuote(lines.Sum(l => l.Amount), lines);
    }

    /// <summary>The quote for a dossier of a procedure from the schedule in the database; null when the procedure has no fee schedule.</summary>
    public static async Task<FeeQuote?> QuoteAsync(AppDbContext db, int procedureId, FeeInput input, CancellationToken cancellationToken)
    {
        var items = await db.Set<FeeItem>().AsNoTracking().Where(f => f.ProcedureId == procedureId).ToListAsync(cancellationToken);
        return items.Count == 0 ? null : Compute(items, input);
    }

    private static FeeLine Line(FeeItem item, FeeInput input)
    {
        if (item.Exemptions.FirstOrDefault(e => Applies(e, input)) is { } exemption)
        {
            return new FeeLine(item.Name, 0, "Miễn: " + exemption.Reason);
        }

        var copies = 1;
        if (item.CopiesField is { } copiesField && Value(input, copiesField) is { } copiesText && !TryCount(copiesText, out copies))
        {
            return Unknown(item, "số bản");
        }

        if (item.Kind == FeeKind.Fixed)
        {
            var total = item.Amount * copies;
            return new FeeLine(
                item.Name,
                total,
                item.CopiesField is null ? Formats.Money(total) : $"{copies} bản × {Formats.Money(item.Amount)} = {Formats.Money(total)}");
        }

        var unit = item.Unit ?? "đơn vị";
        if (item.UnitField is not { } unitField || !TryCount(Value(input, unitField), out var units))
        {
            return Unknown(item, "số " + unit);
        }

        var parts = new List<string>();
        long perCopy = 0;
        foreach (var tier in item.Tiers)
        {
            var last = Math.Min(units, tier.To ?? int.MaxValue);
            var count = last - Math.Max(tier.From, 1) + 1;
            if (count > 0)
            {
                perCopy += count * tier.Each;
                parts.Add($"{count} {unit} × {Formats.Money(tier.Each)}");
            }
        }

        var text = new StringBuilder(string.Join(" + ", parts)).Append(" = ").Append(Formats.Money(perCopy));
        if (item.CapPerCopy is { } cap && perCopy > cap)
        {
            perCopy = cap;
            text.Append(", tối đa ").Append(Formats.Money(cap)).Append("/bản");
        }

        var amount = perCopy * copies;
        text.Append(copies == 1 ? " (1 bản)" : $" × {copies} bản = {Formats.Money(amount)}");
        return new FeeLine(item.Name, amount, text.ToString());
    }

    private static FeeLine Unknown(FeeItem item, string what) =>
        new(item.Name, 0, $"chưa tính được vì tờ khai chưa ghi đúng {what}; cơ quan tính khi tiếp nhận hồ sơ", Known: false);

    private static bool Applies(FeeExemption e, FeeInput input)
    {
        if ((e.From is { } from && input.SubmittedOn < from) || (e.Until is { } until && input.SubmittedOn > until))
        {
            return false;
        }

        return e.Condition switch
        {
            FeeCondition.Online => input.Online,
            FeeCondition.FieldEquals => e.Field is { } f && string.Equals(Value(input, f), e.Value, StringComparison.Ordinal),
            FeeCondition.DateWithin => e.Field is { } f && e.Days is { } days
                && DateOnly.TryParseExact(Value(input, f), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && date <= input.SubmittedOn && input.SubmittedOn.DayNumber - date.DayNumber <= days,
            _ => false,
        };
    }

    private static string? Value(FeeInput input, string field) =>
        input.Values.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>A count is a whole number from 1; anything else (empty, 0, "abc", "2,5") cannot be priced.</summary>
    private static bool TryCount(string? text, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count >= 1;
}

internal sealed class FeeItemMapping : IEntityTypeConfiguration<FeeItem>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<FeeItem> e)
    {
        e.ToTable("FeeItems");
        e.HasIndex(x => new { x.ProcedureId, x.AgencyId });
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.Kind).HasConversion<int>();
        e.Property(x => x.Unit).HasMaxLength(30);
        e.Property(x => x.UnitField).HasMaxLength(60);
        e.Property(x => x.CopiesField).HasMaxLength(60);
        e.Property(x => x.LegalBasis).HasMaxLength(500);
        e.Property(x => x.Tiers).HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<List<FeeTier>>(v, Json) ?? new List<FeeTier>(),
            new ValueComparer<List<FeeTier>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
        e.Property(x => x.Exemptions).HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<List<FeeExemption>>(v, Json) ?? new List<FeeExemption>(),
            new ValueComparer<List<FeeExemption>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()));
        e.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Cascade);
    }
}
