using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;

namespace DichVuCong.Web.Modules.Processing.Slips;

/// <summary>
/// <c>/can-bo/mau-phieu/{regime}/mau-NN.pdf</c> (and the register's <c>.xlsx</c>): a form filled with sample
/// data, for officers to check a layout. Real slips are issued by the processing steps.
/// </summary>
internal static class PreviewSlipsEndpoints
{
    public static void MapPreviewSlips(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/can-bo/mau-phieu").RequireAuthorization(Policies.Officer).ExcludeFromDescription();
        group.MapGet("/{regime}/{form}.pdf", (string regime, string form, HttpContext http, SlipRenderer slips, AppDbContext db, CancellationToken ct) =>
            RenderAsync(regime, form, pdf: true, http, slips, db, ct));
        group.MapGet("/{regime}/{form}.xlsx", (string regime, string form, HttpContext http, SlipRenderer slips, AppDbContext db, CancellationToken ct) =>
            RenderAsync(regime, form, pdf: false, http, slips, db, ct));
    }

    private static async Task<IResult> RenderAsync(string regimeSlug, string formSlug, bool pdf, HttpContext http, SlipRenderer slips, AppDbContext db, CancellationToken cancellationToken)
    {
        var regime = slips.Regimes.FirstOrDefault(r => SlipTemplates.Slug(r.Regime) == regimeSlug);
        var template = regime?.Forms.FirstOrDefault(f => "mau-" + f.Form == formSlug);
        if (regime is null || template is null || (!pdf && template.Kind != SlipKind.Register))
        {
            return Results.NotFound();
        }

        var source = await SlipSamples.FromCatalogAsync(db, cancellationToken);
        // A PDF opens in the browser; the spreadsheet downloads under a name that says what it is.
        if (template.Kind == SlipKind.Register)
        {
            var register = SlipSamples.Register(source, regime.Regime);
            return pdf
                ? Results.File(slips.RegisterPdf(regime.Regime, register), SlipRenderer.PdfContentType)
                : Results.File(slips.RegisterXlsx(regime.Regime, register), SlipRenderer.XlsxContentType, $"so-theo-doi-ho-so-{regimeSlug}.xlsx");
        }

        var request = http.Request;
        var data = SlipSamples.Slip(source, regime.Regime, code => $"{request.Scheme}://{request.Host}{request.PathBase}/tra-cuu?ma={Uri.EscapeDataString(code)}");
        return Results.File(slips.Pdf(regime.Regime, template.Kind, data), SlipRenderer.PdfContentType);
    }
}
