using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Catalog;

public sealed class SeedingTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static async Task<(int Agencies, int Fields, int Procedures, int Templates, int Holidays, int Users, int Components)> CountAsync(PortalFactory portal)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (
            await db.Agencies.CountAsync(Ct),
            await db.Fields.CountAsync(Ct),
            await db.Procedures.CountAsync(Ct),
            await db.FormTemplates.CountAsync(Ct),
            await db.CalendarDays.CountAsync(Ct),
            await db.Users.CountAsync(Ct),
            await db.Set<DichVuCong.Web.Modules.Catalog.DocumentComponent>().CountAsync(Ct));
    }

    [Fact]
    public async Task Starting_twice_duplicates_nothing_and_keeps_what_administrators_changed()
    {
        var connectionString = PortalFactory.NewSqliteConnectionString();
        (int Agencies, int Fields, int Procedures, int Templates, int Holidays, int Users, int Components) first;
        await using (var portal = new PortalFactory(Web.Common.Persistence.DatabaseProvider.Sqlite, connectionString))
        {
            first = await CountAsync(portal);
            using var scope = portal.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var khaiSinh = await db.Procedures.SingleAsync(p => p.Code == "1.001193", Ct);
            khaiSinh.Name = "Đăng ký khai sinh (đã sửa bởi quản trị)";
            var removed = await db.Procedures.SingleAsync(p => p.Code == "1.004837", Ct);
            db.Procedures.Remove(removed);
            db.CalendarDays.Remove(await db.CalendarDays.SingleAsync(d => d.Date == new DateOnly(2027, 9, 2), Ct));
            await db.SaveChangesAsync(Ct);
        }

        await using (var again = new PortalFactory(Web.Common.Persistence.DatabaseProvider.Sqlite, connectionString))
        {
            var second = await CountAsync(again);
            Assert.Equal(first with { Procedures = first.Procedures - 1, Holidays = first.Holidays - 1, Components = second.Components }, second);
            Assert.True(second.Components < first.Components);
            using var scope = again.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal("Đăng ký khai sinh (đã sửa bởi quản trị)", (await db.Procedures.SingleAsync(p => p.Code == "1.001193", Ct)).Name);
            Assert.False(await db.Procedures.AnyAsync(p => p.Code == "1.004837", Ct));
        }
    }

    [Fact]
    public async Task A_weak_demo_password_stops_the_start_with_a_message_that_says_why()
    {
        await using var portal = new PortalFactory(
            Web.Common.Persistence.DatabaseProvider.Sqlite,
            PortalFactory.NewSqliteConnectionString(),
            new Dictionary<string, string?> { ["Seed:DemoPassword"] = "abc" });

        var failure = Assert.Throws<InvalidOperationException>(() => portal.Services);

        Assert.Contains("Seed:DemoPassword", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_data_has_the_province_its_procedures_holidays_and_one_account_per_role()
    {
        await using var portal = new PortalFactory(Web.Common.Persistence.DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString());
        var counts = await CountAsync(portal);

        Assert.True(counts.Procedures >= 30, $"{counts.Procedures} procedures");
        Assert.True(counts.Templates >= 10, $"{counts.Templates} templates");
        Assert.True(counts.Holidays >= 35, $"{counts.Holidays} calendar days");

        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var tet = await db.CalendarDays.SingleAsync(d => d.Date == new DateOnly(2026, 2, 17), Ct);
        Assert.False(tet.IsWorkingDay);
        Assert.True((await db.CalendarDays.SingleAsync(d => d.Date == new DateOnly(2026, 8, 22), Ct)).IsWorkingDay);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var (name, role) in new[]
                 {
                     ("demo.congdan", Roles.Citizen), ("demo.doanhnghiep", Roles.Organisation), ("demo.tiepnhan", Roles.Reception),
                     ("demo.chuyenvien", Roles.Specialist), ("demo.lanhdao", Roles.Leader), ("demo.quantri", Roles.SystemAdmin),
                     ("demo.quantridonvi", Roles.AgencyAdmin),
                 })
        {
            var user = await users.FindByNameAsync(name);
            Assert.NotNull(user);
            Assert.True(await users.IsInRoleAsync(user, role), $"{name} is {role}");
            Assert.True(await users.CheckPasswordAsync(user, PortalFactory.DemoPassword), $"{name} takes Seed:DemoPassword");
        }

        var officer = await users.FindByNameAsync("demo.tiepnhan");
        var agencies = await db.UserAgencies.Where(u => u.UserId == officer!.Id)
            .Join(db.Agencies, u => u.AgencyId, a => a.Id, (_, a) => a).ToListAsync(Ct);
        Assert.Contains(agencies, a => a.Name.StartsWith("Sở Tư pháp", StringComparison.Ordinal));
        Assert.Contains(agencies, a => a.Level == DichVuCong.Web.Modules.Catalog.AgencyLevel.Commune);
    }
    [Fact]
    public async Task A_database_seeded_when_copy_certification_was_in_person_only_offers_it_online_once()
    {
        var connectionString = PortalFactory.NewSqliteConnectionString();
        await using (var portal = new PortalFactory(Web.Common.Persistence.DatabaseProvider.Sqlite, connectionString))
        {
            // As the earlier seed left it: not online, the direct channel only, and no mark of the correction.
            using var scope = portal.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var copy = await db.Procedures.Include(p => p.Channels).SingleAsync(p => p.Code == "2.000815", Ct);
            Assert.Equal(OnlineLevel.Partial, copy.OnlineLevel);
            copy.OnlineLevel = OnlineLevel.None;
            copy.Channels.RemoveAll(c => c.Kind == ChannelKind.Online);
            db.AppliedSeeds.RemoveRange(db.AppliedSeeds.Where(a => a.Key == "catalog:online:2.000815" || a.Key.StartsWith("seed-set:")));
            await db.SaveChangesAsync(Ct);
        }

        await using (var again = new PortalFactory(Web.Common.Persistence.DatabaseProvider.Sqlite, connectionString))
        {
            using (var client = again.CreateClient())
            {
                var page = await client.GetPageAsync("/thu-tuc/2.000815");
                Assert.NotNull(page.QuerySelector("a.button[href^='/nop-ho-so']"));
            }

            using (var scope = again.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var copy = await db.Procedures.Include(p => p.Channels).SingleAsync(p => p.Code == "2.000815", Ct);
                Assert.Equal(OnlineLevel.Partial, copy.OnlineLevel);
                Assert.Equal([ChannelKind.Direct, ChannelKind.Online], copy.Channels.Select(c => c.Kind).Order());
                Assert.Equal(TimeLimitUnit.SameDay, copy.Channels.Single(c => c.Kind == ChannelKind.Online).TimeLimitUnit);

                // An administrator who then takes it offline again is not overruled by the next start.
                copy.OnlineLevel = OnlineLevel.None;
                db.AppliedSeeds.RemoveRange(db.AppliedSeeds.Where(a => a.Key.StartsWith("seed-set:")));
                await db.SaveChangesAsync(Ct);
            }
        }

        await using (var third = new PortalFactory(Web.Common.Persistence.DatabaseProvider.Sqlite, connectionString))
        {
            using var scope = third.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal(OnlineLevel.None, (await db.Procedures.SingleAsync(p => p.Code == "2.000815", Ct)).OnlineLevel);
        }
    }
}
