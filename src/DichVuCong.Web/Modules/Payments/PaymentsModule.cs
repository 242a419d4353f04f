using System.ComponentModel.DataAnnotations;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Payments.ConfirmPayment;
using DichVuCong.Web.Modules.Payments.Reconcile;
using DichVuCong.Web.Modules.Payments.Sandbox;
using DichVuCong.Web.Modules.Payments.StartPayment;
using DichVuCong.Web.Modules.Payments.VnPay;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Payments;

/// <summary>Online payment of fees (phí, lệ phí) through a gateway, confirmed only by the gateway, reconciled when its call is lost.</summary>
internal static class PaymentsModule
{
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PaymentOptions>().Bind(configuration.GetSection(PaymentOptions.SectionName)).ValidateDataAnnotations()
            .Validate(o => !o.Enabled || (!string.IsNullOrEmpty(o.VnPay.HashSecret) && !string.IsNullOrEmpty(o.VnPay.BaseUrl) && !string.IsNullOrEmpty(o.VnPay.QueryUrl)),
                "Payments:VnPay:HashSecret, :BaseUrl and :QueryUrl are required when Payments:VnPay:TmnCode is set.")
            .Validate(o => !o.VnPay.Sandbox.Enabled || o.Enabled, "Payments:VnPay:Sandbox:Enabled needs Payments:VnPay:TmnCode and the rest of Payments:VnPay.")
            .Validate(o => o.Receipt.FormNumber is { Length: > 0 and <= 20 } && o.Receipt.Symbol is { Length: > 0 and <= 20 }, "Payments:Receipt:FormNumber and :Symbol are required, 20 characters at most.")
            .ValidateOnStart();
        services.AddHttpClient(VnPayGateway.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddScoped<IPaymentGateway, VnPayGateway>();
        services.AddScoped<PaymentStarter>();
        services.AddScoped<PaymentConfirmation>();
        services.AddScoped<RecordDeskPayment.DeskPayments>();
        services.AddScoped<IssueReceipt.PaymentReceipts>();
        // Processing's facade that draws the receipt; registered by its only user.
        services.AddScoped<Processing.FeeReceipts>();
        services.AddScoped<Refund.Refunds>();
        services.AddHostedService<PaymentReconciler>();
        return services;
    }

    public static void MapPayments(this WebApplication app, IEndpointRouteBuilder api)
    {
        PaymentStarter.MapStartPayment(api);
        PaymentConfirmation.MapIpn(api);
        RecordDeskPayment.DeskPayments.MapDeskPayment(api);
        IssueReceipt.PaymentReceipts.MapReceipts(app, api);
        Refund.Refunds.MapRefunds(api);
        app.MapSandbox();
        // The pay buttons post to the portal, which redirects to the gateway: the browser checks that redirect against form-action.
        if (Uri.TryCreate(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PaymentOptions>>().Value.VnPay.BaseUrl, UriKind.Absolute, out var gateway)
            && gateway.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            var origin = gateway.GetLeftPart(UriPartial.Authority);
            app.Use(async (context, next) =>
            {
                context.Response.Headers.ContentSecurityPolicy = context.Response.Headers.ContentSecurityPolicy.ToString().Replace("form-action 'self'", "form-action 'self' " + origin, StringComparison.Ordinal);
                await next(context);
            });
        }
    }

    extension(AppDbContext db)
    {
        public DbSet<Payment> Payments => db.Set<Payment>();
    }
}

internal sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    /// <summary>How long a started payment can be paid at the gateway (vnp_ExpireDate).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan PendingExpiry { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long after it started a pending payment is asked about (QueryDR), its IPN presumed lost.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    public VnPayOptions VnPay { get; set; } = new();

    public ReceiptOptions Receipt { get; set; } = new();

    /// <summary>Online payment is on once a merchant code is configured.</summary>
    public bool Enabled => !string.IsNullOrEmpty(VnPay.TmnCode);
}

/// <summary>What the agencies registered for their electronic receipts; the receipt's number (Số) is the payment's TxnRef.</summary>
internal sealed class ReceiptOptions
{
    /// <summary>Mẫu số: the receipt form's number as registered.</summary>
    public string FormNumber { get; set; } = "01BLP0-001";

    /// <summary>Ký hiệu: the receipt series' symbol as registered.</summary>
    public string Symbol { get; set; } = "BLĐT";
}

internal sealed class VnPayOptions
{
    /// <summary>vnp_TmnCode: the merchant's terminal code given by VNPay.</summary>
    public string? TmnCode { get; set; }

    /// <summary>vnp_HashSecret: the HMAC-SHA512 key given by VNPay. Never logged.</summary>
    public string? HashSecret { get; set; }

    /// <summary>The payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html; a path is on this portal (the sandbox).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The QueryDR API, e.g. https://sandbox.vnpayment.vn/merchant_webapi/api/transaction; a path is on this portal.</summary>
    public string? QueryUrl { get; set; }

    public VnPaySandboxOptions Sandbox { get; set; } = new();
}

internal sealed class VnPaySandboxOptions
{
    /// <summary>Serves the sandbox gateway's pages on this portal. Never in production.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where the sandbox sends the IPN; by default this portal's /api/v1/payments/vnpay/ipn at the address the payer used.</summary>
    public string? IpnUrl { get; set; }
}
