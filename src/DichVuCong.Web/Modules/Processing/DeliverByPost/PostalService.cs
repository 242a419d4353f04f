using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Payments;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Processing.DeliverByPost;

/// <summary>Settings of the public postal service (<c>Postal</c>); with no <see cref="BaseUrl"/> posting a result fails with a clear message.</summary>
internal sealed class PostalOptions
{
    public const string SectionName = "Postal";

    /// <summary>The carrier's API, e.g. https://api.buudien.example/v1 (orders go to {BaseUrl}/orders); empty with the sandbox on: the sandbox at the portal's own address.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Sent as the <c>Token</c> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The carrier sends it as <c>X-Postal-Secret</c> on status callbacks; empty refuses every callback.</summary>
    public string? WebhookSecret { get; set; }

    public PostalSandboxOptions Sandbox { get; set; } = new();
}

internal sealed class PostalSandboxOptions
{
    /// <summary>Serves a pretend carrier at /sandbox/buu-chinh; for development and tests only.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where the sandbox calls back; empty: the portal's own <c>/api/v1/postal/webhook</c> at the address the sandbox page was opened on.</summary>
    public string? WebhookUrl { get; set; }
}

/// <summary>What the carrier needs to pick up and deliver a result.</summary>
internal sealed record PostalShipment(
    string OrderCode, string SenderName, string SenderAddress, string ReceiverName, string? ReceiverPhone, string ReceiverAddress, int WeightGram, long CodAmount, string? Note);

/// <summary>The carrier did not take the order; the message is for the officer, in Vietnamese.</summary>
internal sealed class PostalServiceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A postal carrier: takes an order and answers with its tracking number; status comes back by webhook.</summary>
internal interface IPostalService
{
    /// <exception cref="PostalServiceException">The carrier refused or could not be reached.</exception>
    Task<string> CreateShipmentAsync(PostalShipment shipment, CancellationToken cancellationToken);
}

/// <summary>A VNPost-like JSON API: <c>POST {BaseUrl}/orders</c> with header <c>Token</c>, answering <c>{trackingNumber}</c>.</summary>
internal sealed partial class HttpPostalService(IHttpClientFactory clients, IOptions<PostalOptions> options, ILogger<HttpPostalService> logger, IHttpContextAccessor? http = null) : IPostalService
{
    public const string ClientName = "postal";

    public async Task<string> CreateShipmentAsync(PostalShipment shipment, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // With the sandbox on and no carrier named, the sandbox at the portal's own address is the carrier.
        var baseUrl = string.IsNullOrWhiteSpace(settings.BaseUrl) && settings.Sandbox.Enabled && http?.HttpContext?.Request is { } request
            ? $"{request.Scheme}://{request.Host}{PostalSandbox.Path}"
            : settings.BaseUrl;
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            throw new PostalServiceException("Cổng chưa kết nối dịch vụ bưu chính; hãy trả kết quả tại Bộ phận Một cửa hoặc báo quản trị hệ thống.");
        }

        using var order = new HttpRequestMessage(HttpMethod.Post, baseUrl.TrimEnd('/') + "/orders") { Content = JsonContent.Create(shipment) };
        order.Headers.TryAddWithoutValidation("Token", settings.ApiKey ?? string.Empty);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(order, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, shipment.OrderCode, (int)response.StatusCode);
                throw new PostalServiceException($"Dịch vụ bưu chính không nhận bưu gửi (mã lỗi {(int)response.StatusCode}). Hồ sơ chưa thay đổi; hãy thử lại sau.");
            }

            var answer = await response.Content.ReadFromJsonAsync<OrderAnswer>(cancellationToken);
            if (string.IsNullOrWhiteSpace(answer?.TrackingNumber) || answer.TrackingNumber.Length > 40)
            {
                throw new PostalServiceException("Dịch vụ bưu chính không trả về số hiệu bưu gửi. Hồ sơ chưa thay đổi; hãy thử lại sau.");
            }

            return answer.TrackingNumber.Trim();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, shipment.OrderCode, ex);
            throw new PostalServiceException("Không kết nối được dịch vụ bưu chính. Hồ sơ chưa thay đổi; hãy thử lại sau.", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The postal carrier refused order {OrderCode}: HTTP {Status}")]
    private static partial void LogRefused(ILogger logger, string orderCode, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The postal carrier could not be reached for order {OrderCode}")]
    private static partial void LogUnreachable(ILogger logger, string orderCode, Exception exception);

    private sealed record OrderAnswer(string? TrackingNumber);
}

/// <summary>A carrier's status report: <c>accepted</c>, <c>in_transit</c>, <c>delivered</c> or <c>returned</c>, with cash on delivery collected (đồng).</summary>
internal sealed record PostalStatusReport(string? TrackingNumber, string? Status, DateTimeOffset? At, long? CodCollected, string? Note);

/// <summary>
/// The carrier's callback <c>POST /api/v1/postal/webhook</c>, authenticated by the shared secret header. Each report
/// is kept; delivered completes the dossier (the hand-back, with the applicant told as for a desk hand-back) and
/// records the fee collected on delivery as a payment, returned gives it back to the officers. A repeated report
/// changes nothing more (and the one-paid-payment index would refuse a second).
/// </summary>
internal static class PostalWebhook
{
    public const string SecretHeader = "X-Postal-Secret";

    public static void MapPostalWebhook(this IEndpointRouteBuilder api)
    {
        api.MapPost("/postal/webhook", ReceiveAsync).AllowAnonymous().DisableAntiforgery().WithTags("Postal")
            .WithName("PostalWebhook").WithSummary("Bưu chính báo trạng thái bưu gửi kết quả (header X-Postal-Secret): {trackingNumber, status: accepted|in_transit|delivered|returned, at, codCollected}");
    }

    private static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        PostalStatusReport report, HttpContext http, IOptions<PostalOptions> options, AppDbContext db, DossierProcessing processing, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!SecretMatches(http.Request.Headers[SecretHeader].ToString(), options.Value.WebhookSecret))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sai khóa bí mật", detail: "Thiếu hoặc sai header X-Postal-Secret.");
        }

        if (ShipmentStatuses.Parse(report.Status) is not { } status || status == ShipmentStatus.Created)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Trạng thái không hợp lệ", detail: "status là một trong: accepted, in_transit, delivered, returned.");
        }

        var shipment = await db.Set<Shipment>().FirstOrDefaultAsync(s => s.TrackingNumber == report.TrackingNumber, cancellationToken);
        if (shipment is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Không có bưu gửi", detail: "Không có bưu gửi với số hiệu này.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var at = report.At?.UtcDateTime ?? now;
        shipment.Events.Add(new ShipmentEvent { Status = status, At = at, ReceivedAt = now });
        shipment.CodCollected = report.CodCollected ?? shipment.CodCollected;
        shipment.UpdatedAt = now;
        var final = shipment.Status is ShipmentStatus.Delivered or ShipmentStatus.Returned;
        if (!final)
        {
            shipment.Status = status;
            if (status is ShipmentStatus.Delivered or ShipmentStatus.Returned)
            {
                var dossier = await db.Dossiers.Include(d => d.Actions).Include(d => d.Events).AsSplitQuery().SingleAsync(d => d.Id == shipment.DossierId, cancellationToken);
                if (dossier.PostedAt is not null && status == ShipmentStatus.Delivered)
                {
                    var done = dossier.DeliveredByPost(shipment.TrackingNumber, DossierProcessing.TimelinessAt(dossier, shipment.CreatedAt), shipment.PostedBy, at);
                    await processing.TellApplicantAsync(dossier, done, at, cancellationToken);
                    CollectedOnDelivery(db, dossier, shipment, at);
                }
                else if (dossier.PostedAt is not null)
                {
                    dossier.ReturnedByPost(shipment.TrackingNumber, report.Note, at);
                }
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Hồ sơ vừa thay đổi", detail: "Hãy gửi lại báo cáo trạng thái.");
        }

        return TypedResults.Ok();
    }

    /// <summary>
    /// Thu hộ (COD): the whole fee collected records a payment of the postal channel and the dossier is paid; less
    /// or none records nothing, the fee stays owed and the officer sees it (the shipment shows what was collected).
    /// </summary>
    private static void CollectedOnDelivery(AppDbContext db, Dossier dossier, Shipment shipment, DateTime at)
    {
        if (shipment.CodAmount <= 0 || !(shipment.CodCollected >= shipment.CodAmount))
        {
            return;
        }

        var alreadyPaid = dossier.PaidAt is not null;
        db.Payments.Add(Payment.CollectedOnDelivery(dossier.Id, shipment.CodAmount, shipment.TrackingNumber, alreadyPaid, at));
        if (!alreadyPaid)
        {
            dossier.MarkPaid(at, $"Bưu chính đã thu hộ phí, lệ phí {Formats.Money(shipment.CodAmount)} khi giao kết quả (số hiệu {shipment.TrackingNumber})");
        }
    }

    private static bool SecretMatches(string given, string? secret) =>
        !string.IsNullOrEmpty(secret) && !string.IsNullOrEmpty(given)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
