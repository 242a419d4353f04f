using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing;

/// <summary>Workflows, due dates and the working calendar, the officers' inbox and actions, the deadline watch.</summary>
internal static class ProcessingModule
{
    public static IServiceCollection AddProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ISeeder, HolidaySeeder>();
        services.AddScoped<ISeeder, Workflows.ProcessSeeder>();
        services.AddScoped<DueDates.WorkingCalendars>();
        services.AddScoped<Workflows.Processes>();
        services.AddScoped<ProcessDossier.DossierProcessing>();
        services.AddScoped<Inbox.InboxQuery>();
        services.AddScoped<DossierClock>();
        services.AddOptions<WatchDeadlines.DeadlineWatchOptions>().Bind(configuration.GetSection(WatchDeadlines.DeadlineWatchOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<WatchDeadlines.DeadlineWatch>();
        return services;
    }

    public static void MapProcessing(this IEndpointRouteBuilder app, IEndpointRouteBuilder api)
    {
        Inbox.InboxEndpoints.MapInbox(api);
        ProcessDossier.BackOfficeEndpoints.MapBackOffice(api);
        ProcessDossier.BackOfficeEndpoints.MapOfficerFiles(app);
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
