using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Notifications;

/// <summary>Outbox, e-mail over SMTP, SMS through HTTP gateways with failover, and the attempt log.</summary>
internal static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationsOptions>()
            .Bind(configuration.GetSection(NotificationsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationsOptions>, SmsProvidersValidation>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<NoticeTemplates>();
        services.AddSingleton<IInterceptor, OutboxSaveInterceptor>();
        services.AddScoped<SmtpTransport>();
        services.AddHttpClient(HttpSmsTransport.ClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<SmsProviderHealth>();
        services.AddScoped<TransportSelector>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }

    public static void MapNotifications(this IEndpointRouteBuilder api) =>
        NotificationCentre.NotificationCentre.MapNotificationCentre(api);
}

internal sealed class OutboxMessageMapping : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> e)
    {
        e.ToTable("OutboxMessages");
        e.HasKey(x => x.Id);
        e.HasIndex(x => new { x.State, x.NextAttemptAt });
        e.HasIndex(x => x.CreatedAt);
        e.HasIndex(x => x.ClaimToken);
        e.HasIndex(x => new { x.DossierId, x.CreatedAt });
        e.HasIndex(x => new { x.Recipient, x.CreatedAt });
        e.Property(x => x.Channel).HasConversion<int>();
        e.Property(x => x.State).HasConversion<int>().IsConcurrencyToken();
        e.Property(x => x.Recipient).HasMaxLength(200);
        e.Property(x => x.Subject).HasMaxLength(300);
        e.Property(x => x.Body).HasMaxLength(8000);
        e.Property(x => x.Purpose).HasMaxLength(60);
        e.Property(x => x.Transport).HasMaxLength(30);
        e.Property(x => x.LastError).HasMaxLength(OutboxMessage.MaxError);
    }
}

internal sealed class DeliveryAttemptMapping : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> e)
    {
        e.ToTable("DeliveryAttempts");
        e.HasKey(x => x.Id);
        e.HasOne<OutboxMessage>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(x => new { x.MessageId, x.At });
        e.Property(x => x.Transport).HasMaxLength(30);
        e.Property(x => x.Error).HasMaxLength(OutboxMessage.MaxError);
    }
}
