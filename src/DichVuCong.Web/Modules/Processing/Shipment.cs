using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Processing;

/// <summary>Where a postal shipment of a result stands, as the carrier reports it.</summary>
internal enum ShipmentStatus
{
    Created = 0,
    Accepted = 1,
    InTransit = 2,
    Delivered = 3,
    Returned = 4,
}

internal static class ShipmentStatuses
{
    public static string Label(ShipmentStatus status) => status switch
    {
        ShipmentStatus.Created => "Đã tạo bưu gửi, chờ bưu điện nhận",
        ShipmentStatus.Accepted => "Bưu điện đã nhận hàng",
        ShipmentStatus.InTransit => "Đang vận chuyển",
        ShipmentStatus.Delivered => "Đã giao",
        _ => "Chuyển hoàn",
    };

    /// <summary>The carrier's codes (accepted, in_transit, delivered, returned).</summary>
    public static ShipmentStatus? Parse(string? code) => code switch
    {
        "accepted" => ShipmentStatus.Accepted,
        "in_transit" => ShipmentStatus.InTransit,
        "delivered" => ShipmentStatus.Delivered,
        "returned" => ShipmentStatus.Returned,
        _ => null,
    };

    public static string Code(ShipmentStatus status) => status switch
    {
        ShipmentStatus.Created => "created",
        ShipmentStatus.Accepted => "accepted",
        ShipmentStatus.InTransit => "in_transit",
        ShipmentStatus.Delivered => "delivered",
        _ => "returned",
    };
}

/// <summary>
/// A result sent by public postal service (bưu chính công ích): one per posting, so a returned shipment and the
/// next try are both kept. The carrier's status reports are its events; cash on delivery is what the carrier says it
/// collected (the payments module reads it from here).
/// </summary>
internal sealed class Shipment
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public Guid DossierId { get; init; }

    public required string TrackingNumber { get; init; }

    /// <summary>The officer who handed it to the carrier; the hand-back on delivery is recorded in their name.</summary>
    public Guid PostedBy { get; init; }

    public DateTime CreatedAt { get; init; }

    public ShipmentStatus Status { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Thu hộ (COD): the fee the carrier is to collect on delivery, in đồng; 0 when nothing.</summary>
    public long CodAmount { get; init; }

    /// <summary>Thu hộ (COD) in đồng, as the carrier reports collecting it; null until it does.</summary>
    public long? CodCollected { get; set; }

    public List<ShipmentEvent> Events { get; private set; } = [];
}

/// <summary>One status report of the carrier, at the carrier's time.</summary>
internal sealed class ShipmentEvent
{
    public long Id { get; private set; }

    public Guid ShipmentId { get; private set; }

    public ShipmentStatus Status { get; init; }

    public DateTime At { get; init; }

    public DateTime ReceivedAt { get; init; }
}

internal sealed class ShipmentMapping : IEntityTypeConfiguration<Shipment>
{
    public void Configure(EntityTypeBuilder<Shipment> e)
    {
        e.ToTable("Shipments");
        e.HasIndex(x => x.TrackingNumber).IsUnique();
        e.HasIndex(x => x.DossierId);
        e.Property(x => x.TrackingNumber).HasMaxLength(40);
        e.Property(x => x.Status).HasConversion<int>();
        e.HasOne<Dossiers.Dossier>().WithMany().HasForeignKey(x => x.DossierId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.ShipmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ShipmentEventMapping : IEntityTypeConfiguration<ShipmentEvent>
{
    public void Configure(EntityTypeBuilder<ShipmentEvent> e)
    {
        e.ToTable("ShipmentEvents");
        e.Property(x => x.Status).HasConversion<int>();
    }
}
