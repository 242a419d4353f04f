using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Processing.DueDates;
using DichVuCong.Web.Modules.Processing.Slips;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing;

/// <summary>Workflows, due dates, the working calendar, the official slips, the officers' inbox and actions, the deadline watch.</summary>
internal static class ProcessingModule
{
    public static IServiceCollection AddProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ISeeder, HolidaySeeder>();
        services.AddSingleton<WorkingCalendars>();
        services.AddScoped<ISeeder, WorkingHoursSeeder>();
        services.AddSingleton<SlipRenderer>();
        services.AddSingleton<ApplicantSlips>();
        services.AddScoped<DossierSlips>();
        services.AddScoped<ISeeder, Workflows.ProcessSeeder>();
        services.AddScoped<Workflows.Processes>();
        services.AddScoped<ProcessDossier.DossierProcessing>();
        services.AddScoped<Inbox.InboxQuery>();
        services.AddScoped<DossierClock>();
        services.AddOptions<WatchDeadlines.DeadlineWatchOptions>().Bind(configuration.GetSection(WatchDeadlines.DeadlineWatchOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<WatchDeadlines.DeadlineWatch>();
        services.AddOptions<DeliverByPost.PostalOptions>().Bind(configuration.GetSection(DeliverByPost.PostalOptions.SectionName))
            .Validate(o => string.IsNullOrWhiteSpace(o.BaseUrl) || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Postal:BaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.AddHttpClient(DeliverByPost.HttpPostalService.ClientName, c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddHttpContextAccessor();
        services.AddScoped<DeliverByPost.IPostalService, DeliverByPost.HttpPostalService>();
        if (!configuration.GetValue<bool>("Postal:Sandbox:Enabled"))
        {
            // The sandbox carrier's page is not mapped at all when it is off.
            services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o =>
                o.Conventions.AddPageRouteModelConvention("/Modules/Processing/DeliverByPost/PostalSandboxPage", m => m.Selectors.Clear()));
        }

        return services;
    }

    /// <summary>The module's addresses: its API under <paramref name="api"/> (/api/v1), its pages' files beside the pages.</summary>
    public static void MapProcessing(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        api.MapCalendar();
        Inbox.InboxEndpoints.MapInbox(api);
        ProcessDossier.BackOfficeEndpoints.MapBackOffice(api);
        ProcessDossier.BackOfficeEndpoints.MapOfficerFiles(app);
        app.MapPreviewSlips();
        app.MapIssueSlips(api);
        DeliverByPost.PostalWebhook.MapPostalWebhook(api);
        if (app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliverByPost.PostalOptions>>().Value.Sandbox.Enabled)
        {
            DeliverByPost.PostalSandbox.MapPostalSandbox(app);
        }
    }
}

/// <summary>Seeds the 2025–2027 public holidays and make-up working days (shared/data/holidays.md).</summary>
internal sealed class HolidaySeeder(TimeProvider time) : ISeeder
{
    public int Order => 20;

    public async Task SeedAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var days = SeedData.Read<List<CalendarDaySeed>>("holidays.json");

        var applied = await db.AppliedAsync("calendar:", cancellationToken);
        var existing = await db.CalendarDays.Select(d => d.Date).ToHashSetAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var day in days)
        {
            var key = "calendar:" + day.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            if (existing.Contains(day.Date) || applied.Contains(key))
            {
                continue;
            }

            db.CalendarDays.Add(new CalendarDay { Date = day.Date, IsWorkingDay = day.IsWorkingDay, Name = day.Name, Basis = day.Basis });
            db.MarkApplied(key, now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private sealed record CalendarDaySeed(DateOnly Date, bool IsWorkingDay, string Name, string? Basis);
}
