using System.Net;
using DichVuCong.Tests.Infrastructure;

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
