using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Reporting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Reporting;

public sealed class VisitorCounterTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Counts_distinct_visitors_online_today_this_week_and_in_all_and_survives_a_restart()
    {
        // Wednesday 25/11/2026, 09:00 in Vietnam.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 2, 0, 0, TimeSpan.Zero));
        await using var portal = new PortalFactory(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString());
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.VisitorDays.Add(new VisitorDay { Date = new DateOnly(2026, 11, 23), Visitors = 40 }); // Monday, same week
        db.VisitorDays.Add(new VisitorDay { Date = new DateOnly(2026, 11, 20), Visitors = 100 }); // last week
        await db.SaveChangesAsync(Ct);

        var counter = new VisitorCounter(clock);
        await counter.FlushAsync(db, Ct);
        counter.Record("10.0.0.1", "Mozilla/5.0 Android");
        counter.Record("10.0.0.1", "Mozilla/5.0 Android");
        counter.Record("10.0.0.2", "Mozilla/5.0 Android");
        clock.Advance(TimeSpan.FromMinutes(10));
        counter.Record("10.0.0.3", "Mozilla/5.0 iPhone");

        Assert.Equal(new VisitorCounts(Online: 1, Today: 3, ThisWeek: 43, Total: 143), counter.Counts());

        await counter.FlushAsync(db, Ct);
        Assert.Equal(3, (await db.VisitorDays.AsNoTracking().SingleAsync(v => v.Date == new DateOnly(2026, 11, 25), Ct)).Visitors);

        // A second instance (or a restart) adds to the stored figures instead of overwriting them.
        var other = new VisitorCounter(clock);
        other.Record("10.0.0.9", "Mozilla/5.0");
        await other.FlushAsync(db, Ct);
        Assert.Equal(4, other.Counts().Today);
        Assert.Equal(144, other.Counts().Total);

        // Midnight in Vietnam: today starts at zero, yesterday joins the week and the total.
        clock.Advance(TimeSpan.FromHours(15));
        other.Record("10.0.0.10", "Mozilla/5.0");
        var tomorrow = other.Counts();
        Assert.Equal(1, tomorrow.Today);
        Assert.Equal(145, tomorrow.Total);
        Assert.Equal(45, tomorrow.ThisWeek);
    }
}
