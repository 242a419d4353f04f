using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;

namespace DichVuCong.Tests.Modules.Catalog;

public abstract class CatalogApiTests(PortalFixture portal)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task Agencies_come_as_a_tree_with_the_province_at_the_root_and_communes_below()
    {
        var roots = await GetJsonAsync("/api/v1/agencies");

        var province = Assert.Single(roots.EnumerateArray());
        Assert.Equal("000.00.00.H99", province.GetProperty("code").GetString());
        Assert.Equal("tinh", province.GetProperty("level").GetString());
        var children = province.GetProperty("children").EnumerateArray().ToList();
        Assert.Contains(children, c => c.GetProperty("name").GetString()!.StartsWith("Sở Tư pháp", StringComparison.Ordinal));
        Assert.Contains(children, c => c.GetProperty("name").GetString()!.StartsWith("Công an tỉnh", StringComparison.Ordinal));
        Assert.True(children.Count(c => c.GetProperty("level").GetString() == "xa") >= 6, "at least six communes and wards");
        Assert.DoesNotContain(children, c => c.GetProperty("level").GetString() == "huyen");
        // Agency codes are four dot-separated groups with the province group last.
        Assert.All(Flatten(province), a => Assert.Matches(@"^\d{3}\.\d{2}\.\d{2}\.H99$", a.GetProperty("code").GetString()!));
        Assert.Contains(Flatten(province), a => a.GetProperty("children").GetArrayLength() > 0 && a.GetProperty("level").GetString() == "tinh" && a.GetProperty("code").GetString() != "000.00.00.H99");
    }

    private static IEnumerable<JsonElement> Flatten(JsonElement agency) =>
        agency.GetProperty("children").EnumerateArray().SelectMany(Flatten).Prepend(agency);

    [Fact]
    public async Task Fields_list_names_and_counts()
    {
        var fields = (await GetJsonAsync("/api/v1/fields")).EnumerateArray().ToList();

        var hoTich = Assert.Single(fields, f => f.GetProperty("name").GetString() == "Hộ tịch");
        Assert.True(hoTich.GetProperty("procedureCount").GetInt32() >= 10);
        Assert.Contains(fields, f => f.GetProperty("name").GetString() == "Chứng thực");
    }

    [Fact]
    public async Task Searching_without_diacritics_finds_the_procedure_with_them()
    {
        var page = await GetJsonAsync("/api/v1/procedures?q=dang%20ky%20khai%20sinh");

        var first = page.GetProperty("items")[0];
        Assert.Equal("1.001193", first.GetProperty("code").GetString());
        Assert.Equal("Đăng ký khai sinh", first.GetProperty("name").GetString());
        Assert.Equal("Hộ tịch", first.GetProperty("field").GetString());
        Assert.Contains("xa", first.GetProperty("agencyLevels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("toan-trinh", first.GetProperty("onlineLevel").GetString());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(20, page.GetProperty("pageSize").GetInt32());
        Assert.True(page.GetProperty("total").GetInt32() >= 2, "khai sinh có yếu tố nước ngoài, đăng ký lại khai sinh also match");
    }

    [Fact]
    public async Task Paging_returns_each_procedure_once_across_pages()
    {
        var first = await GetJsonAsync("/api/v1/procedures?pageSize=7&page=1");
        var total = first.GetProperty("total").GetInt32();
        Assert.True(total >= 30, $"the demo catalog has at least 30 procedures, found {total}");

        var codes = new List<string>();
        for (var page = 1; page <= (total + 6) / 7; page++)
        {
            var body = await GetJsonAsync($"/api/v1/procedures?pageSize=7&page={page}");
            codes.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()!));
        }

        Assert.Equal(total, codes.Count);
        Assert.Equal(total, codes.Distinct().Count());
    }

    [Fact]
    public async Task Filters_by_field_level_agency_and_online_level_narrow_the_list()
    {
        var byField = await GetJsonAsync("/api/v1/procedures?field=chung-thuc&pageSize=100");
        Assert.All(byField.GetProperty("items").EnumerateArray(), i => Assert.Equal("Chứng thực", i.GetProperty("field").GetString()));
        Assert.True(byField.GetProperty("total").GetInt32() >= 3);

        var province = await GetJsonAsync("/api/v1/procedures?level=tinh&pageSize=100");
        Assert.All(province.GetProperty("items").EnumerateArray(), i => Assert.Contains("tinh", i.GetProperty("agencyLevels").EnumerateArray().Select(l => l.GetString())));
        Assert.Contains(province.GetProperty("items").EnumerateArray(), i => i.GetProperty("code").GetString() == "3.000333");

        var police = await GetJsonAsync("/api/v1/procedures?q=ly%20lich%20tu%20phap");
        Assert.Equal("3.000333", police.GetProperty("items")[0].GetProperty("code").GetString());

        var full = await GetJsonAsync("/api/v1/procedures?onlineLevel=toan-trinh&pageSize=100");
        Assert.All(full.GetProperty("items").EnumerateArray(), i => Assert.Equal("toan-trinh", i.GetProperty("onlineLevel").GetString()));

        var all = await GetJsonAsync("/api/v1/procedures?pageSize=1");
        var atProvince = await GetJsonAsync("/api/v1/procedures?agency=000.00.00.H99&pageSize=1");
        // The province's whole tree carries out every procedure of the demo catalog that has an agency.
        Assert.True(atProvince.GetProperty("total").GetInt32() > 0);
        Assert.True(atProvince.GetProperty("total").GetInt32() <= all.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("pageSize=-1", "pageSize")]
    [InlineData("level=vu-tru", "level")]
    [InlineData("onlineLevel=muc-5", "onlineLevel")]
    [InlineData("field=khong-co", "field")]
    [InlineData("agency=999.99.99.X00", "agency")]
    public async Task Bad_paging_or_filter_values_get_400_problem_details_naming_the_parameter(string query, string parameter)
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/v1/procedures?" + query, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(parameter, out var messages), $"errors name '{parameter}': {errors}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Fact]
    public async Task A_procedure_by_code_has_its_whole_record()
    {
        var p = await GetJsonAsync("/api/v1/procedures/1.001193");

        Assert.Equal("Đăng ký khai sinh", p.GetProperty("name").GetString());
        Assert.Equal("ho-tich", p.GetProperty("field").GetProperty("code").GetString());
        Assert.True(p.GetProperty("steps").GetArrayLength() >= 3);
        Assert.True(p.GetProperty("legalBasis").GetArrayLength() >= 3);
        Assert.Contains("Luật Hộ tịch", p.GetProperty("legalBasis").ToString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("applicants").GetString()));
        Assert.Contains("Giấy khai sinh", p.GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("conditions").GetString()));
        var channels = p.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["truc-tiep", "truc-tuyen", "buu-chinh"], channels);
        var component = p.GetProperty("components").EnumerateArray().First(c => c.GetProperty("template").ValueKind == JsonValueKind.Object);
        Assert.StartsWith("/mau-don/", component.GetProperty("template").GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.True(p.GetProperty("agencies").GetArrayLength() >= 6, "every commune registers births");
    }

    [Fact]
    public async Task An_unknown_procedure_code_gets_404_problem_details()
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/v1/procedures/9.999999", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("9.999999", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_address_answers_with_problem_details_not_a_page()
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri("/api/v1/khong-co", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_catalog_endpoints()
    {
        var document = await GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/agencies", out _));
        Assert.True(paths.TryGetProperty("/api/v1/fields", out _));
        Assert.True(paths.TryGetProperty("/api/v1/procedures", out var search));
        Assert.True(paths.TryGetProperty("/api/v1/procedures/{code}", out _));
        var parameters = search.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Subset(new HashSet<string?>(parameters), new HashSet<string?> { "q", "agency", "field", "level", "onlineLevel", "page", "pageSize" });
    }

    [Fact]
    public async Task Health_answers_when_the_database_does()
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class CatalogApiTestsOnSqlite(SqlitePortal portal) : CatalogApiTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class CatalogApiTestsOnPostgreSql(PostgresPortal portal) : CatalogApiTests(portal);
