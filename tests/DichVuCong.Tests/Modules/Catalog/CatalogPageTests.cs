using System.Net;
using DichVuCong.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;

namespace DichVuCong.Tests.Modules.Catalog;

public abstract class CatalogPageTests(PortalFixture portal)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Home_has_search_featured_procedures_levels_and_every_agency()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/");

        Assert.Equal("vi", page.DocumentElement.GetAttribute("lang"));
        var search = page.QuerySelector("form[role=search]");
        Assert.Equal("/thu-tuc", search?.GetAttribute("action"));
        Assert.NotNull(search?.QuerySelector("input[name=q]"));
        Assert.NotNull(page.QuerySelector("label[for=q]"));
        Assert.Contains(page.QuerySelectorAll(".cards a"), a => a.GetAttribute("href") == "/thu-tuc/1.001193");
        var levelLinks = page.QuerySelectorAll("a[href^='/thu-tuc?level=']").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/thu-tuc?level=tinh", levelLinks);
        Assert.Contains("/thu-tuc?level=xa", levelLinks);
        var agencyLinks = page.QuerySelectorAll(".tree a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("/thu-tuc?agency=000.00.00.H99", agencyLinks);
        Assert.True(agencyLinks.Count >= 20, $"every agency is linked, found {agencyLinks.Count}");
    }

    [Fact]
    public async Task Every_page_shares_the_frame_navigation_and_visitor_counter()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/thu-tuc");

        Assert.Contains("Tỉnh Nam Hà".ToUpperInvariant(), page.QuerySelector(".brand").Text(), StringComparison.Ordinal);
        var nav = page.QuerySelectorAll("nav.main-nav a").Select(a => (a.Text(), a.GetAttribute("href"))).ToList();
        Assert.Equal(
            [("Trang chủ", "/"), ("Thủ tục hành chính", "/thu-tuc"), ("Nộp hồ sơ trực tuyến", "/nop-ho-so"), ("Tra cứu hồ sơ", "/tra-cuu"),
             ("Thanh toán trực tuyến", "/thanh-toan"), ("Phản ánh, kiến nghị", "/phan-anh-kien-nghi"), ("Thống kê", "/thong-ke")],
            nav);
        Assert.Equal("page", page.QuerySelector("nav.main-nav a[href='/thu-tuc']")?.GetAttribute("aria-current"));
        Assert.Contains("Cơ quan chủ quản", page.QuerySelector("footer").Text(), StringComparison.Ordinal);
        foreach (var counter in new[] { "online", "today", "week", "total" })
        {
            var value = page.QuerySelector($"[data-counter={counter}]").Text();
            Assert.True(int.Parse(value.Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 1, $"{counter} counts this visit");
        }

        Assert.NotNull(page.QuerySelector("a.skip[href='#noi-dung']"));
        Assert.NotNull(page.QuerySelector("link[rel=stylesheet]"));
        Assert.Empty(page.QuerySelectorAll("script[src^='http'], link[href^='http']"));
    }

    [Fact]
    public async Task Catalog_page_searches_without_diacritics_and_keeps_the_query()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/thu-tuc?q=dang+ky+ket+hon");

        Assert.Equal("dang ky ket hon", page.QuerySelector("input#q")?.GetAttribute("value"));
        var rows = page.QuerySelectorAll("table.procedures tbody tr");
        Assert.Equal("1.000894", rows[0].QuerySelector("td").Text());
        Assert.Equal("Đăng ký kết hôn", rows[0].QuerySelector("a").Text());
        Assert.Contains("Tìm thấy", page.QuerySelector("#ket-qua").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_page_filters_and_pages()
    {
        using var client = portal.CreateClient();
        var first = await client.GetPageAsync("/thu-tuc?level=xa&field=ho-tich");

        Assert.Equal("selected", first.QuerySelector("#level option[value=xa]")?.GetAttribute("selected") ?? (first.QuerySelector("#level option[value=xa]")?.HasAttribute("selected") == true ? "selected" : null));
        Assert.True(first.QuerySelector("#field option[value=ho-tich]")?.HasAttribute("selected"));
        Assert.All(first.QuerySelectorAll("table.procedures tbody tr td[data-label='Lĩnh vực']"), td => Assert.Equal("Hộ tịch", td.Text()));

        var all = await client.GetPageAsync("/thu-tuc");
        var next = all.QuerySelector(".pager a[rel=next]");
        Assert.NotNull(next);
        var second = await client.GetPageAsync(next.GetAttribute("href")!);
        var firstCodes = all.QuerySelectorAll("table.procedures tbody tr td:first-child").Select(td => td.Text()).ToHashSet();
        var secondCodes = second.QuerySelectorAll("table.procedures tbody tr td:first-child").Select(td => td.Text()).ToList();
        Assert.NotEmpty(secondCodes);
        Assert.DoesNotContain(secondCodes, firstCodes.Contains);
    }

    [Fact]
    public async Task Catalog_page_explains_a_bad_filter_in_vietnamese_and_keeps_the_keyword()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/thu-tuc?q=khai+tu&level=vu-tru", HttpStatusCode.BadRequest);

        var summary = page.QuerySelector(".error-summary");
        Assert.Equal("Có lỗi cần sửa", summary?.QuerySelector("h2").Text());
        Assert.Equal("#level", summary?.QuerySelector("a")?.GetAttribute("href"));
        Assert.Contains("Cấp thực hiện", summary.Text(), StringComparison.Ordinal);
        Assert.Equal("khai tu", page.QuerySelector("input#q")?.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("#level-error"));
    }

    [Fact]
    public async Task Procedure_page_lays_out_every_part_of_the_record()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/thu-tuc/1.001193");

        Assert.Equal("Đăng ký khai sinh", page.QuerySelector("h1").Text());
        var headings = page.QuerySelectorAll("h2").Select(h => h.Text()).ToList();
        Assert.Contains("Trình tự thực hiện", headings);
        Assert.Contains("Thành phần hồ sơ", headings);
        Assert.Contains("Căn cứ pháp lý", headings);
        var terms = page.QuerySelectorAll("dl.summary dt").Select(d => d.Text()).ToList();
        Assert.Equal(
            ["Mã thủ tục", "Lĩnh vực", "Cấp thực hiện", "Mức độ dịch vụ công trực tuyến", "Quyết định công bố", "Cơ quan thực hiện", "Đối tượng thực hiện", "Kết quả thực hiện", "Yêu cầu, điều kiện thực hiện"],
            terms);
        var channels = page.QuerySelectorAll("#cach-thuc ~ table tbody th").Select(t => t.Text()).ToList();
        Assert.Equal(["Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính"], channels);
        Assert.NotEmpty(page.QuerySelectorAll("ol.steps li"));
        Assert.NotNull(page.QuerySelector("a[href^='/mau-don/'][download]"));
        Assert.Equal("/nop-ho-so?thu-tuc=1.001193", page.QuerySelector("a.button")?.GetAttribute("href"));
    }

    [Fact]
    public async Task Procedure_page_shows_fees_in_vietnamese_money_format()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/thu-tuc/2.000635");

        Assert.Contains("8.000 đ", page.QuerySelector("#cach-thuc ~ table").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_procedure_not_offered_online_says_how_to_apply_in_person()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/thu-tuc/2.000884");

        Assert.Null(page.QuerySelector("a.button[href^='/nop-ho-so']"));
        Assert.Contains("trực tiếp", page.QuerySelector(".notice").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_procedure_page_is_a_404_in_vietnamese()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/thu-tuc/9.999999", HttpStatusCode.NotFound);

        Assert.Equal("Không tìm thấy trang", page.QuerySelector("h1").Text());
    }

    [Fact]
    public async Task A_template_downloads_as_a_real_word_document_with_the_forms_content()
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync("/thu-tuc/1.001193");
        var href = page.QuerySelector("a[href^='/mau-don/'][download]")!.GetAttribute("href")!;

        using var response = await client.GetAsync(new Uri(href, UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".docx", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        await using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        using var document = WordprocessingDocument.Open(stream, false);
        var text = document.MainDocumentPart!.Document!.Body!.InnerText;
        Assert.Contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text, StringComparison.Ordinal);
        Assert.Contains("KHAI SINH", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_template_is_a_404()
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri("/mau-don/khong-co", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/thong-ke", "Thống kê")]
    public async Task Pages_of_later_issues_say_they_are_being_built(string url, string title)
    {
        using var client = portal.CreateClient();
        var page = await client.GetPageAsync(url);

        Assert.Equal(title, page.QuerySelector("h1").Text());
        Assert.Contains("Chức năng đang được xây dựng", page.QuerySelector("main").Text(), StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class CatalogPageTestsOnSqlite(SqlitePortal portal) : CatalogPageTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class CatalogPageTestsOnPostgreSql(PostgresPortal portal) : CatalogPageTests(portal);
