using System.Security.Cryptography;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Payments;

/// <summary>Where a payment stands; stored as its number. Only <see cref="Pending"/> is settled, and only <see cref="RefundDue"/> is then refunded.</summary>
internal enum PaymentState
{
    Pending = 0,
    Paid = 1,
    Failed = 2,
    Cancelled = 3,
    Expired = 4,

    /// <summary>The gateway took the money but the dossier had already been paid by another payment: to be refunded by an officer.</summary>
    RefundDue = 5,

    /// <summary>An officer returned the money of a <see cref="RefundDue"/> payment and noted how.</summary>
    Refunded = 6,
}

internal enum PaymentChannel
{
    Online = 1,
    Desk = 2,

    /// <summary>Thu hộ (COD): the postal carrier collected the fee when it delivered the result.</summary>
    PostalCod = 3,
}

internal static class PaymentChannels
{
    public static string Label(PaymentChannel channel) => channel switch
    {
        PaymentChannel.Desk => "Tại Bộ phận Một cửa",
        PaymentChannel.PostalCod => "Thu hộ qua bưu chính",
        _ => "Trực tuyến (VNPay)",
    };
}

internal static class PaymentStates
{
    public static string Label(PaymentState state) => state switch
    {
        PaymentState.Pending => "Đang chờ ngân hàng xác nhận",
        PaymentState.Paid => "Đã thanh toán",
        PaymentState.Failed => "Không thành công",
        PaymentState.Cancelled => "Đã hủy",
        PaymentState.Expired => "Đã hết hạn",
        PaymentState.Refunded => "Đã hoàn tiền",
        _ => "Đã thu tiền nhưng hồ sơ đã được thanh toán trước đó, chờ hoàn tiền",
    };
}

/// <summary>
/// One attempt to pay a dossier's fee (phí, lệ phí), online through a gateway or at the desk. The gateway knows it by
/// <see cref="TxnRef"/>. A pending payment is settled once, by a verified gateway answer (IPN or QueryDR) or by its
/// expiry; after that it never changes (but for the refund of a <see cref="PaymentState.RefundDue"/> one), so a
/// replayed answer changes nothing. A dossier has at most one
/// <see cref="PaymentState.Paid"/> payment, enforced by a filtered unique index as well as by the code.
/// </summary>
internal sealed class Payment
{
    private const string TxnAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public Guid Id { get; private set; } = Guid.NewGuid();

    public Guid DossierId { get; private set; }

    /// <summary>vnp_TxnRef: the Vietnam-time day (yyMMdd) and 8 random letters and digits; unique.</summary>
    public string TxnRef { get; private set; } = string.Empty;

    /// <summary>In VND (the gateway is sent it ×100).</summary>
    public long Amount { get; private set; }

    public string Provider { get; private set; } = string.Empty;

    public PaymentChannel Channel { get; private set; }

    public PaymentState State { get; private set; }

    public DateTime CreatedAt { get; private set; }

    /// <summary>The gateway refuses payment after this (vnp_ExpireDate); still pending after it and not paid at the gateway, it expires.</summary>
    public DateTime ExpiresAt { get; private set; }

    public DateTime? PaidAt { get; private set; }

    /// <summary>vnp_TransactionNo: the gateway's number for the transaction.</summary>
    public string? GatewayTransactionNo { get; private set; }

    public string? BankCode { get; private set; }

    /// <summary>The gateway's vnp_ResponseCode (or vnp_TransactionStatus from a query) that settled it.</summary>
    public string? ResponseCode { get; private set; }

    /// <summary>When reconciliation last asked the gateway about it.</summary>
    public DateTime? LastCheckedAt { get; private set; }

    /// <summary>The officer who took a desk payment.</summary>
    public Guid? RecordedBy { get; private set; }

    public DateTime? RefundedAt { get; private set; }

    /// <summary>The officer who returned the money.</summary>
    public Guid? RefundedBy { get; private set; }

    /// <summary>How and where the money went back (e.g. the bank transfer's number), as the officer wrote it.</summary>
    public string? RefundNote { get; private set; }

    public static Payment StartOnline(Guid dossierId, long amount, string provider, DateTime now, TimeSpan lifetime) => new()
    {
        DossierId = dossierId,
        TxnRef = VietnamTime.ToLocal(now).ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture) + RandomNumberGenerator.GetString(TxnAlphabet, 8),
        Amount = amount,
        Provider = provider,
        Channel = PaymentChannel.Online,
        State = PaymentState.Pending,
        CreatedAt = now,
        ExpiresAt = now + lifetime,
    };

    /// <summary>Money taken at the Bộ phận Một cửa by the officer: paid from the start.</summary>
    public static Payment RecordAtDesk(Guid dossierId, long amount, Guid officerId, DateTime now)
    {
        var payment = StartOnline(dossierId, amount, "desk", now, TimeSpan.Zero);
        payment.Channel = PaymentChannel.Desk;
        payment.RecordedBy = officerId;
        payment.MarkPaid(now, null, null, null);
        return payment;
    }

    /// <summary>
    /// Thu hộ (COD): the postal carrier reports the fee collected on delivery at <paramref name="at"/>; its tracking
    /// number stands for the gateway's transaction number. Collected for a dossier already paid (online meanwhile),
    /// the money is to be refunded, as a second online payment is.
    /// </summary>
    public static Payment CollectedOnDelivery(Guid dossierId, long amount, string trackingNumber, bool alreadyPaid, DateTime at)
    {
        var payment = StartOnline(dossierId, amount, "postal", at, TimeSpan.Zero);
        payment.Channel = PaymentChannel.PostalCod;
        payment.Settle(alreadyPaid ? PaymentState.RefundDue : PaymentState.Paid, trackingNumber, null, null, at);
        return payment;
    }

    public bool IsPending => State == PaymentState.Pending;

    /// <summary>The officer returned the money of a payment due for a refund; false when it is not (any more) due.</summary>
    public bool MarkRefunded(Guid officerId, string note, DateTime now)
    {
        if (State != PaymentState.RefundDue)
        {
            return false;
        }

        State = PaymentState.Refunded;
        RefundedAt = now;
        RefundedBy = officerId;
        RefundNote = note;
        return true;
    }

    public void MarkPaid(DateTime now, string? transactionNo, string? bankCode, string? responseCode) =>
        Settle(PaymentState.Paid, transactionNo, bankCode, responseCode, now);

    public void MarkRefundDue(DateTime now, string? transactionNo, string? bankCode, string? responseCode) =>
        Settle(PaymentState.RefundDue, transactionNo, bankCode, responseCode, now);

    public void MarkFailed(string? transactionNo, string? bankCode, string? responseCode) =>
        Settle(PaymentState.Failed, transactionNo, bankCode, responseCode, null);

    public void MarkCancelled(string? responseCode) => Settle(PaymentState.Cancelled, null, null, responseCode, null);

    private void Settle(PaymentState state, string? transactionNo, string? bankCode, string? responseCode, DateTime? paidAt)
    {
        if (State != PaymentState.Pending)
        {
            throw new InvalidOperationException($"Payment {TxnRef} is {State}; only a pending payment is settled.");
        }

        State = state;
        PaidAt = paidAt;
        GatewayTransactionNo = Clip(transactionNo, 50);
        BankCode = Clip(bankCode, 20);
        ResponseCode = Clip(responseCode, 10);
    }

    private static string? Clip(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}

internal sealed class PaymentMapping : IEntityTypeConfiguration<Payment>
{
    public const int RefundNoteLength = 500;

    public void Configure(EntityTypeBuilder<Payment> e)
    {
        e.ToTable("Payments");
        e.Property(x => x.TxnRef).HasMaxLength(20);
        e.HasIndex(x => x.TxnRef).IsUnique();
        e.Property(x => x.Provider).HasMaxLength(20);
        e.Property(x => x.Channel).HasConversion<int>();
        // Two answers for one payment at once: the second one's update finds the state changed and fails.
        e.Property(x => x.State).HasConversion<int>().IsConcurrencyToken();
        e.Property(x => x.GatewayTransactionNo).HasMaxLength(50);
        e.Property(x => x.BankCode).HasMaxLength(20);
        e.Property(x => x.ResponseCode).HasMaxLength(10);
        e.Property(x => x.RefundNote).HasMaxLength(RefundNoteLength);
        // A dossier is never paid twice: the database refuses a second Paid row. Both SQLite and PostgreSQL quote with "".
        e.HasIndex(x => x.DossierId).IsUnique().HasFilter("\"State\" = 1").HasDatabaseName("IX_Payments_DossierId_Paid");
        e.HasIndex(x => new { x.DossierId, x.State });
        e.HasIndex(x => new { x.State, x.CreatedAt });
        e.HasOne<Dossier>().WithMany().HasForeignKey(x => x.DossierId).OnDelete(DeleteBehavior.Restrict);
    }
}
