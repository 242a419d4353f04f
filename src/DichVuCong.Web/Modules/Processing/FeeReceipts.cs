using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Processing.Slips;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing;

/// <summary>
/// What the Payments module knows of a paid payment, for its receipt: the receipt's form number (Mẫu số), symbol (Ký
/// hiệu) and number (Số), the amount in VND, when it was paid (UTC), how (in words) and, at the desk, who took it.
/// </summary>
internal sealed record FeeReceiptPayment(string FormNumber, string Symbol, string Number, long Amount, DateTime PaidAt, string Method)
{
    public Guid? CollectedBy { get; init; }
}

/// <summary>One line of how the fee was reached, as the dossier recorded it ("Lệ phí đăng ký khai sinh: …").</summary>
internal sealed record FeeReceiptLine(string Text);

/// <summary>What <c>Templates/bien-lai-thu-phi.json</c> prints; the header and QR code like the slips'.</summary>
internal sealed record FeeReceiptData
{
    public required SlipAgency Agency { get; init; }

    public required FeeReceiptPayment Payment { get; init; }

    public required string DossierCode { get; init; }

    public required string ProcedureName { get; init; }

    public required string PayerName { get; init; }

    public string? PayerAddress { get; init; }

    public IReadOnlyList<FeeReceiptLine> Lines { get; init; } = [];

    /// <summary>"8.000 đ".</summary>
    public required string AmountText { get; init; }

    /// <summary>"Tám nghìn đồng".</summary>
    public required string AmountInWords { get; init; }

    public string? CollectorName { get; init; }

    public required string LookupUrl { get; init; }
}

/// <summary>
/// Biên lai thu phí, lệ phí điện tử for the Payments module: it brings the payment, this module (which owns the slips
/// engine) adds what the slips print about a dossier (the agency's header, the procedure, the lookup QR code) so a
/// receipt and a Mẫu 01 of the same dossier name it alike. One template whatever the day: the receipt's rules are the
/// invoice and receipt ones (Nghị định 123/2020/NĐ-CP, Thông tư 78/2021/TT-BTC), not the one-stop regimes.
/// </summary>
internal sealed class FeeReceipts(AppDbContext db, CatalogIndex catalog)
{
    private static readonly SlipTemplate Template = SlipTemplates.LoadSingle("bien-lai-thu-phi.json");

    public async Task<byte[]> PdfAsync(Dossier dossier, FeeReceiptPayment payment, string lookupBase, CancellationToken cancellationToken)
    {
        var tree = (await catalog.GetAsync(cancellationToken)).Agencies;
        var agency = tree.Find(dossier.AgencyId) ?? throw new InvalidOperationException($"Agency {dossier.AgencyId} is not in the catalog.");
        var procedure = await db.Procedures.AsNoTracking().Where(p => p.Id == dossier.ProcedureId).Select(p => p.Name).SingleAsync(cancellationToken);
        var collector = payment.CollectedBy is { } id
            ? await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.FullName).SingleOrDefaultAsync(cancellationToken)
            : null;
        var data = new FeeReceiptData
        {
            Agency = DossierSlips.Header(tree, agency),
            Payment = payment,
            DossierCode = dossier.Code!,
            ProcedureName = procedure,
            PayerName = dossier.Applicant.FullName,
            PayerAddress = dossier.Applicant.Address,
            Lines = [.. (dossier.FeeDetails?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []).Select(l => new FeeReceiptLine(l))],
            AmountText = Formats.Money(payment.Amount),
            AmountInWords = VietnameseNumbers.Money(payment.Amount),
            CollectorName = collector,
            LookupUrl = $"{lookupBase}/tra-cuu?ma={Uri.EscapeDataString(dossier.Code!)}",
        };
        return SlipLayout.Render(Template, data);
    }
}
