using System.Text.RegularExpressions;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Dossiers;

public abstract class DossierCodeTests(PortalFixture portal)
{
    [Fact]
    public async Task Two_hundred_submissions_at_once_to_one_agency_get_two_hundred_distinct_well_formed_codes()
    {
        int agencyId;
        string agencyCode;
        using (var scope = portal.Services.CreateScope())
        {
            // An agency no other test numbers dossiers for, so its sequence starts at 1 today.
            var agency = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Agencies.OrderByDescending(a => a.Id).FirstAsync();
            (agencyId, agencyCode) = (agency.Id, agency.Code);
        }

        var codes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var code = await scope.ServiceProvider.GetRequiredService<DossierCodes>().NextAsync(agencyId, agencyCode, default);
            await transaction.CommitAsync();
            return code;
        }));

        Assert.Equal(200, codes.Distinct().Count());
        var today = DichVuCong.Web.Common.Time.VietnamTime.ToLocal(DateTime.UtcNow).ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(codes, c => Assert.Matches("^" + Regex.Escape(agencyCode) + "-" + today + @"-\d{4}$", c));
        Assert.Equal(Enumerable.Range(1, 200), codes.Select(c => int.Parse(c[^4..], System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Theory]
    [InlineData(7, "000.00.01.H42-210101-0007")]
    [InlineData(12345, "000.00.01.H42-210101-12345")]
    public void The_code_follows_the_pattern_and_a_long_day_widens_the_sequence(int sequence, string expected) =>
        Assert.Equal(expected, DossierCodes.Format("{agency}-{date:yyMMdd}-{seq:0000}", "000.00.01.H42", new DateOnly(2021, 1, 1), sequence));
}

[Collection(SqliteCollection.Name)]
public sealed class DossierCodeTestsOnSqlite(SqlitePortal portal) : DossierCodeTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class DossierCodeTestsOnPostgreSql(PostgresPortal portal) : DossierCodeTests(portal);
