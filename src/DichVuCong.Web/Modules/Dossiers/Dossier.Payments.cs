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

    /// <summary>While waiting for the payment: the status it goes back to once paid.</summary>
    public DossierStatus? PaymentResumesTo { get; private set; }

    /// <summary>
    /// The process says this fee is paid before going on: the dossier waits (Chờ thanh toán) with its clock stopped,
    /// as for a supplement. False when nothing is owed.
    /// </summary>
    public bool AwaitPayment(DateTime now)
    {
        if (!FeeOwed || Status is not (DossierStatus.Received or DossierStatus.Processing or DossierStatus.ResultReady))
        {
            return false;
        }

        PaymentResumesTo = Status == DossierStatus.ResultReady ? DossierStatus.ResultReady : DossierStatus.Processing;
        Status = DossierStatus.AwaitingPayment;
        ClockPausedAt ??= now;
        UpdatedAt = now;
        Events.Add(new DossierEvent { At = now, Status = Status, Note = $"Chờ thanh toán phí, lệ phí {Common.Web.Formats.Money(FeeAmount!.Value)}" });
        return true;
    }

    /// <summary>
    /// Records the payment. A dossier waiting for it goes back where it was, its clock running again with the due
    /// dates moved by the waiting working time (<paramref name="dueAt"/>, <paramref name="stepDueAt"/>, worked out by
    /// the processing calendar).
    /// </summary>
    public void MarkPaid(DateTime now, string note, DateTime? dueAt = null, DateTime? stepDueAt = null)
    {
        if (PaidAt is not null)
        {
            throw new DossierStateException("Hồ sơ đã được thanh toán.");
        }

        PaidAt = now;
        UpdatedAt = now;
        if (Status == DossierStatus.AwaitingPayment)
        {
            StopWaiting(dueAt, stepDueAt);
        }

        Events.Add(new DossierEvent { At = now, Status = Status, Note = note });
    }

    /// <summary>
    /// Thu hộ (COD) is possible: the applicant chose delivery by post and the result waits only for the fee, so the
    /// carrier may collect it when it delivers instead.
    /// </summary>
    public bool CodApplies => Status == DossierStatus.AwaitingPayment && PaymentResumesTo == DossierStatus.ResultReady && Delivery == DeliveryMethod.Post && FeeOwed;

    /// <summary>
    /// The officer sends the result by post with the fee collected on delivery: the dossier stops waiting and is
    /// "Có kết quả" again, still owing the fee, its clock running with the due dates moved by the wait, as a payment
    /// would. The carrier's report of the money collected then marks it paid (<see cref="MarkPaid"/>).
    /// </summary>
    public void CollectOnDelivery(DateTime now, DateTime? dueAt, DateTime? stepDueAt)
    {
        if (!CodApplies)
        {
            throw new DossierStateException("Chỉ thu hộ được khi người nộp chọn nhận kết quả qua bưu chính và hồ sơ đang chờ thanh toán phí, lệ phí trước khi trả kết quả.");
        }

        StopWaiting(dueAt, stepDueAt);
        UpdatedAt = now;
        Events.Add(new DossierEvent { At = now, Status = Status, Note = $"Phí, lệ phí {Common.Web.Formats.Money(FeeAmount!.Value)} do bưu chính thu hộ khi giao kết quả" });
    }

    private void StopWaiting(DateTime? dueAt, DateTime? stepDueAt)
    {
        Status = PaymentResumesTo ?? DossierStatus.Processing;
        PaymentResumesTo = null;
        if (ClockPausedAt is not null)
        {
            DueAt = dueAt ?? DueAt;
            StepDueAt = stepDueAt ?? StepDueAt;
            ClockPausedAt = null;
        }
    }
}
