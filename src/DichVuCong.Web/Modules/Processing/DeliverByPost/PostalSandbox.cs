using System.Net.Http.Json;
using System.Security.Cryptography;
using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Processing.DeliverByPost;

/// <summary>An order the sandbox carrier took; it stands in for the carrier's own records.</summary>
internal sealed class SandboxPostalOrder
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public required string TrackingNumber { get; init; }

    public required string OrderCode { get; init; }

    public required string ReceiverName { get; init; }

    public required string ReceiverAddress { get; init; }

    public long CodAmount { get; init; }

    public ShipmentStatus Status { get; set; }

    public DateTime CreatedAt { get; init; }
}

internal sealed class SandboxPostalOrderMapping : IEntityTypeConfiguration<SandboxPostalOrder>
{
    public void Configure(EntityTypeBuilder<SandboxPostalOrder> e)
    {
        e.ToTable("SandboxPostalOrders");
        e.Property(x => x.TrackingNumber).HasMaxLength(40);
        e.Property(x => x.OrderCode).HasMaxLength(100);
        e.Property(x => x.ReceiverName).HasMaxLength(200);
        e.Property(x => x.ReceiverAddress).HasMaxLength(300);
        e.Property(x => x.Status).HasConversion<int>();
    }
}

/// <summary>
/// A pretend carrier (<c>Postal:Sandbox:Enabled</c>) so the whole postal path runs without a contract: it takes
/// orders at <c>POST /sandbox/buu-chinh/orders</c> (checking the <c>Token</c>) and its page moves each one on,
/// calling the portal's webhook over HTTP with the shared secret, as the real carrier would.
/// </summary>
internal static class PostalSandbox
{
    public const string Path = "/sandbox/buu-chinh";

    public static void MapPostalSandbox(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path + "/orders", OrderAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    private static async Task<IResult> OrderAsync(PostalShipment order, HttpContext http, IOptions<PostalOptions> options, AppDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (http.Request.Headers["Token"].ToString() != (options.Value.ApiKey ?? string.Empty))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sai Token");
        }

        var tracking = "EB" + RandomNumberGenerator.GetInt32(100_000_000, 1_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture) + "VN";
        db.Set<SandboxPostalOrder>().Add(new SandboxPostalOrder
        {
            TrackingNumber = tracking, OrderCode = order.OrderCode, ReceiverName = order.ReceiverName, ReceiverAddress = order.ReceiverAddress,
            CodAmount = order.CodAmount, Status = ShipmentStatus.Created, CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return Results.Ok(new { trackingNumber = tracking });
    }

    /// <summary>The next statuses a shipment may take from where it is, with the sandbox button's words.</summary>
    public static IReadOnlyList<(ShipmentStatus Status, string Label)> Next(ShipmentStatus status) => status switch
    {
        ShipmentStatus.Created => [(ShipmentStatus.Accepted, "Đã nhận hàng")],
        ShipmentStatus.Accepted => [(ShipmentStatus.InTransit, "Đang vận chuyển")],
        ShipmentStatus.InTransit => [(ShipmentStatus.Delivered, "Đã giao"), (ShipmentStatus.Returned, "Chuyển hoàn")],
        _ => [],
    };
}

/// <summary><c>/sandbox/buu-chinh</c>: the sandbox carrier's shipments, each with buttons for its next status.</summary>
internal sealed class PostalSandboxPageModel(AppDbContext db, IHttpClientFactory clients, IOptions<PostalOptions> options, TimeProvider time) : PageModel
{
    public IReadOnlyList<SandboxPostalOrder> Orders { get; private set; } = [];

    [TempData] public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Orders = [.. (await db.Set<SandboxPostalOrder>().AsNoTracking().ToListAsync(cancellationToken)).OrderByDescending(o => o.CreatedAt)];

    public async Task<IActionResult> OnPostAsync(Guid order, string? status, CancellationToken cancellationToken)
    {
        var found = await db.Set<SandboxPostalOrder>().FirstOrDefaultAsync(o => o.Id == order, cancellationToken);
        var next = ShipmentStatuses.Parse(status);
        if (found is null || next is null || !PostalSandbox.Next(found.Status).Any(n => n.Status == next))
        {
            Notice = "Bưu gửi không còn chuyển được sang trạng thái này.";
            return RedirectToPage();
        }

        var settings = options.Value;
        var url = string.IsNullOrWhiteSpace(settings.Sandbox.WebhookUrl) ? $"{Request.Scheme}://{Request.Host}/api/v1/postal/webhook" : settings.Sandbox.WebhookUrl;
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new PostalStatusReport(found.TrackingNumber, ShipmentStatuses.Code(next.Value), time.GetUtcNow(), next == ShipmentStatus.Delivered ? found.CodAmount : null, null)),
        };
        request.Headers.TryAddWithoutValidation(PostalWebhook.SecretHeader, settings.WebhookSecret ?? string.Empty);
        using var response = await clients.CreateClient(HttpPostalService.ClientName).SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            found.Status = next.Value;
            await db.SaveChangesAsync(cancellationToken);
            Notice = $"Đã báo Cổng: {found.TrackingNumber} — {ShipmentStatuses.Label(next.Value)}.";
        }
        else
        {
            Notice = $"Cổng trả lời HTTP {(int)response.StatusCode}; trạng thái chưa đổi.";
        }

        return RedirectToPage();
    }
}
