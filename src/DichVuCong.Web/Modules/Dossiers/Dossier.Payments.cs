namespace DichVuCong.Web.Modules.Dossiers;

/// <summary>
/// The one thing the dossier keeps of its payment: when the fee was paid. The payments themselves (attempts,
/// gateways, refunds) belong to the Payments module, which calls <see cref="MarkPaid"/> once a gateway confirmed.
/// </summary>
internal sealed partial class Dossier
{
    /// <summary>When <see cref="FeeAmount"/> was paid in full; null while it is owed.</summary>
    public DateTime? PaidAt { get; private set; }

    /// <summary>True when a fee is set, above zero, and not yet paid.</summary>
    public bool FeeOwed => FeeAmount is > 0 && PaidAt is null;

    /// <summary>Records the payment; a dossier waiting for it goes back to processing.</summary>
    public void MarkPaid(DateTime now, string note)
    {
        if (PaidAt is not null)
        {
            throw new DossierStateException("Hồ sơ đã được thanh toán.");
        }

        PaidAt = now;
        UpdatedAt = now;
        if (Status == DossierStatus.AwaitingPayment)
        {
            Status = DossierStatus.Processing;
        }

        Events.Add(new DossierEvent { At = now, Status = Status, Note = note });
    }
}
