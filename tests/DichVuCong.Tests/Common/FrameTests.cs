using System.Net;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DichVuCong.Tests.Common;

public abstract class FrameTests(PortalFixture portal)
{
    [Fact]
    public async Task The_stylesheet_and_icon_the_pages_link_are_served_locally()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/");

        foreach (var href in page.QuerySelectorAll("link[rel=stylesheet], link[rel=icon]").Select(l => l.GetAttribute("href")!))
        {
            Assert.StartsWith("/", href, StringComparison.Ordinal);
            // Browsers ask for compressed files; the compressed variant must not come back empty.
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(href, UriKind.Relative));
            request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
            using var response = await client.SendAsync(request, CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadAsByteArrayAsync(CancellationToken.None)).Length > 100, $"{href} has a body");
            Assert.Contains(response.Content.Headers.ContentType?.MediaType, new[] { "text/css", "image/svg+xml" });
        }
    }

    [Fact]
    public async Task Health_answers_from_the_database_and_another_instance_reads_what_this_one_signed()
    {
        using var client = portal.CreateClient();
        using (var health = await client.GetAsync(new Uri("/health", UriKind.Relative), CancellationToken.None))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(CancellationToken.None));
        }

        // The key ring lives in the shared database: a second instance (its own services, the same table) reads a
        // cookie or code this portal protected, so a load balancer may send the next request anywhere.
        var signed = portal.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("frame-test").Protect("xin chào");
        var other = new ServiceCollection();
        other.AddDataProtection().SetApplicationName("DichVuCong");
        var database = portal.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        other.Configure<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeyTable(database));
        using var instance = other.BuildServiceProvider();
        Assert.Equal("xin chào", instance.GetRequiredService<IDataProtectionProvider>().CreateProtector("frame-test").Unprotect(signed));
    }

    [Theory]
    [InlineData("/quyen-rieng-tu", "Chính sách quyền riêng tư", "Nghị định 13/2023/NĐ-CP")]
    [InlineData("/dieu-khoan", "Điều khoản sử dụng", "Nghị định 42/2022/NĐ-CP")]
    public async Task The_privacy_policy_and_terms_of_use_name_the_agency_in_charge_and_how_to_reach_it(string url, string title, string basis)
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync(url);

        Assert.Equal(title, page.QuerySelector("h1").Text());
        var text = page.QuerySelector("main")!.TextContent;
        Assert.Contains(basis, text, StringComparison.Ordinal);
        Assert.Contains("Văn phòng Ủy ban nhân dân tỉnh Nam Hà", text, StringComparison.Ordinal); // Portal:AgencyInCharge
        Assert.Contains("dichvucong@namha.gov.vn", text, StringComparison.Ordinal);
        Assert.DoesNotContain("đang được xây dựng", text, StringComparison.Ordinal);
        Assert.NotNull((await client.GetPageAsync("/")).QuerySelector($"footer a[href='{url}']"));
    }

    [Fact]
    public async Task The_api_reference_page_lists_every_endpoint_without_script()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/api");

        var operations = page.QuerySelectorAll(".api-op h2").Select(h => h.Text()).ToList();
        Assert.Contains("GET /api/v1/procedures", operations);
        Assert.Contains("GET /api/v1/procedures/{code}", operations);
        Assert.Contains("GET /api/v1/agencies", operations);
        Assert.Contains("GET /api/v1/fields", operations);
        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.NotNull(page.QuerySelector("a[href='/openapi/v1.json']"));
    }

    [Fact]
    public async Task Responses_carry_security_headers()
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri("/thu-tuc", UriKind.Relative), CancellationToken.None);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class FrameTestsOnSqlite(SqlitePortal portal) : FrameTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class FrameTestsOnPostgreSql(PostgresPortal portal) : FrameTests(portal);
