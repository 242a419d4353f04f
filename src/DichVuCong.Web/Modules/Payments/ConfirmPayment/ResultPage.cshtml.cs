using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Payments.ConfirmPayment;

/// <summary>
/// <c>/thanh-toan/ket-qua</c>, where the gateway sends the payer back. The browser's parameters are only read (their
/// signature checked) to say what the gateway told the payer; the state shown is the database's, which only a verified
/// IPN or QueryDR changes. Anyone can forge this address, so it never settles anything.
/// </summary>
[Authorize]
internal sealed class ResultPageModel(AppDbContext db, IPaymentGateway gateway) : PageModel
{
    public Payment? Payment { get; private set; }

    public string? DossierCode { get; private set; }

    /// <summary>What the gateway's signed parameters say; null when unsigned or tampered with.</summary>
    public GatewayResult? Told { get; private set; }

    public bool Tampered { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var told = Request.Query.ContainsKey("vnp_SecureHash") ? gateway.VerifyCallback(Request.Query) : null;
        Tampered = told is { SignatureValid: false };
        Told = told is { SignatureValid: true } ? told : null;
        var txnRef = Request.Query["vnp_TxnRef"].ToString();
        var owned = db.Dossiers.OwnedBy(User).Select(d => d.Id);
        Payment = await db.Payments.AsNoTracking().Where(p => p.TxnRef == txnRef && owned.Contains(p.DossierId)).SingleOrDefaultAsync(cancellationToken);
        if (Payment is not null)
        {
            DossierCode = await db.Dossiers.Where(d => d.Id == Payment.DossierId).Select(d => d.Code).SingleAsync(cancellationToken);
        }
    }
}
