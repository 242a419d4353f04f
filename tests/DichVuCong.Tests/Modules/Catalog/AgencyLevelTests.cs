using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Catalog;

public sealed class AgencyLevelTests
{
    [Fact]
    public async Task A_deployment_that_still_lists_a_district_shows_that_level_and_its_agencies()
    {
        await using var portal = new PortalFactory(DatabaseProvider.Sqlite, PortalFactory.NewSqliteConnectionString());
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var province = await db.Agencies.SingleAsync(a => a.Code == "000.00.00.H99", TestContext.Current.CancellationToken);
            var district = new Agency { Code = "000.00.50.H99", Name = "Ủy ban nhân dân huyện Cũ", Level = AgencyLevel.District, ParentId = province.Id, ReceivesDossiers = true };
            var ward = new Agency { Code = "000.50.50.H99", Name = "Ủy ban nhân dân thị trấn Cũ", Level = AgencyLevel.Commune, ReceivesDossiers = true };
            district.Children.Add(ward);
            db.Agencies.Add(district);
            var field = await db.Fields.SingleAsync(f => f.Code == "ho-tich", TestContext.Current.CancellationToken);
            var procedure = new Procedure
            {
                Code = "9.000001",
                Name = "Thủ tục thử nghiệm cấp huyện",
                FieldId = field.Id,
                Levels = [AgencyLevel.District],
                UpdatedAt = DateTime.UtcNow,
            };
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            procedure.Agencies.Add(new ProcedureAgency { AgencyId = district.Id });
            procedure.RefreshSearchText();
            db.Procedures.Add(procedure);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // Another instance's change is found by the index's periodic check; here, ask for it directly.
        portal.Services.GetRequiredService<CatalogIndex>().Invalidate();
        using var client = portal.CreateClient();
        var home = await client.GetPageAsync("/");

        Assert.Contains(home.QuerySelectorAll("a[href^='/thu-tuc?level=']"), a => a.GetAttribute("href") == "/thu-tuc?level=huyen" && a.Text() == "Thủ tục cấp huyện");
        Assert.Contains(home.QuerySelectorAll(".tree a"), a => a.Text() == "Ủy ban nhân dân thị trấn Cũ");
        var list = await client.GetPageAsync("/thu-tuc?level=huyen");
        Assert.Equal("9.000001", Assert.Single(list.QuerySelectorAll("table.procedures tbody tr")).QuerySelector("td").Text());
        var byDistrict = await client.GetPageAsync("/thu-tuc?agency=000.00.50.H99");
        Assert.Single(byDistrict.QuerySelectorAll("table.procedures tbody tr"));
    }
}
