using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Payments;

/// <summary>One payment as people read it in a history: newest first, with its dossier, channel and state in words.</summary>
internal sealed record PaymentRow(Guid DossierId, string? DossierCode, DateTime At, long Amount, PaymentChannel Channel, PaymentState State, string TxnRef, string? BankCode)
{
    public string ChannelText => PaymentChannels.Label(Channel);

    public string StateText => PaymentStates.Label(State);

    /// <summary>Only money taken for the dossier has a receipt.</summary>
    public bool HasReceipt => State == PaymentState.Paid;

    public string ReceiptUrl => IssueReceipt.PaymentReceipts.Url(TxnRef);
}

/// <summary>The payments of a person's dossiers (<c>/thanh-toan</c>) or of one dossier (the officer's page).</summary>
internal static class PaymentHistory
{
    public static Task<List<PaymentRow>> ForDossiersAsync(AppDbContext db, IQueryable<Guid> dossierIds, CancellationToken cancellationToken) =>
        (from p in db.Payments.AsNoTracking()
         join d in db.Dossiers on p.DossierId equals d.Id
         where dossierIds.Contains(p.DossierId)
         orderby p.CreatedAt descending
         select new PaymentRow(p.DossierId, d.Code, p.PaidAt ?? p.CreatedAt, p.Amount, p.Channel, p.State, p.TxnRef, p.BankCode))
        .Take(100)
        .ToListAsync(cancellationToken);
}
