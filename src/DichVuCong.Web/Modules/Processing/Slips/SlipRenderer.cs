using DichVuCong.Web.Common.Time;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>
/// Official one-stop slips as PDF (and the register as XLSX too), laid out by the templates of the rule
/// in force on the day the dossier was received. Rendering only: the caller gathers the data.
/// </summary>
internal sealed class SlipRenderer
{
    public const string PdfContentType = "application/pdf";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private readonly IReadOnlyDictionary<Regime, RegimeTemplates> regimes = SlipTemplates.Load();

    /// <summary>Every regime with its forms, oldest first.</summary>
    public IEnumerable<RegimeTemplates> Regimes => regimes.Values.OrderBy(r => r.InForceFrom);

    /// <summary>The regime in force on a day: Thông tư 01/2018 before 15/9/2025, Thông tư 03/2025 from then (dates in the templates).</summary>
    public Regime RegimeOn(DateOnly receivedOn) =>
        Regimes.LastOrDefault(r => r.InForceFrom <= receivedOn)?.Regime ?? Regimes.First().Regime;

    /// <summary>The form of that kind in that regime; null when the regime has none (a stop notice before 15/9/2025).</summary>
    public SlipTemplate? Template(Regime regime, SlipKind kind) => regimes[regime].Forms.FirstOrDefault(f => f.Kind == kind);

    /// <summary>A slip laid out as the regime of its dossier's reception day requires.</summary>
    public byte[] Pdf(SlipKind kind, SlipData data) =>
        Pdf(RegimeOn(DateOnly.FromDateTime(VietnamTime.ToLocal(data.ReceivedAt))), kind, data);

    public byte[] Pdf(Regime regime, SlipKind kind, SlipData data)
    {
        if (kind == SlipKind.Register)
        {
            throw new ArgumentException("The register is rendered from RegisterData: use RegisterPdf.", nameof(kind));
        }

        var template = Template(regime, kind) ?? throw new ArgumentException($"{SlipTemplates.Slug(regime)} has no form for {kind}.", nameof(kind));
        return SlipLayout.Render(template, data);
    }

    /// <summary>The register over its date range, in the layout of the regime in force on its last day.</summary>
    public byte[] RegisterPdf(RegisterData data) => RegisterPdf(RegimeOn(data.To), data);

    public byte[] RegisterPdf(Regime regime, RegisterData data) => SlipLayout.Render(RegisterTemplate(regime), data);

    public byte[] RegisterXlsx(RegisterData data) => RegisterXlsx(RegimeOn(data.To), data);

    public byte[] RegisterXlsx(Regime regime, RegisterData data) => RegisterWorkbook.Write(RegisterTemplate(regime), data);

    private SlipTemplate RegisterTemplate(Regime regime) =>
        Template(regime, SlipKind.Register) ?? throw new InvalidOperationException($"{SlipTemplates.Slug(regime)} has no register template.");
}
