using DocumentFormat.OpenXml.Packaging;
using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class CatalogJourneyTests(BrowserFixture fixture)
{
    private async Task<IPage> OpenAsync(BrowserNewContextOptions? options = null)
    {
        fixture.RequireBrowser();
        options ??= new BrowserNewContextOptions();
        options.BaseURL = fixture.BaseAddress.ToString();
        options.AcceptDownloads = true;
        options.Locale = "vi-VN";
        var context = await fixture.Browser.NewContextAsync(options);
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task A_visitor_finds_khai_sinh_from_the_home_page_reads_it_and_downloads_its_form()
    {
        var page = await OpenAsync();
        await page.GotoAsync("/");
        Assert.Equal("Tìm thủ tục hành chính", await page.Locator("h1").InnerTextAsync());
        // The stylesheet really applies: the header wears the province's red.
        Assert.Equal("rgb(177, 18, 27)", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('header.top')).backgroundColor"));

        await page.GetByLabel("Nhập tên hoặc mã thủ tục").FillAsync("khai sinh");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tìm kiếm" }).ClickAsync();
        await page.WaitForURLAsync("**/thu-tuc?q=khai+sinh");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "catalog-search.png"), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng ký khai sinh", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/thu-tuc/1.001193");
        Assert.Equal("Đăng ký khai sinh", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Trình tự thực hiện", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[href^='/mau-don/']").First.ClickAsync());
        Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
        var saved = Path.Combine(BrowserFixture.ScreenshotFolder, download.SuggestedFilename);
        await download.SaveAsAsync(saved);
        using (var document = WordprocessingDocument.Open(saved, false))
        {
            Assert.Contains("KHAI SINH", document.MainDocumentPart!.Document!.Body!.InnerText, StringComparison.Ordinal);
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "procedure-1.001193.png"), FullPage = true });
        Assert.True(new FileInfo(Path.Combine(BrowserFixture.ScreenshotFolder, "procedure-1.001193.png")).Length > 10_000);
    }

    [Fact]
    public async Task On_a_phone_without_javascript_the_catalog_filters_and_nothing_overflows_sideways()
    {
        var page = await OpenAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 375, Height = 812 },
            JavaScriptEnabled = false,
            IsMobile = true,
            HasTouch = true,
        });
        await page.GotoAsync("/thu-tuc");

        await page.GetByLabel("Cấp thực hiện").SelectOptionAsync("tinh");
        await page.GetByLabel("Từ khóa hoặc mã thủ tục").FillAsync("ly lich");
        await page.Locator("form.filters button[type=submit]").ClickAsync();
        await page.WaitForURLAsync("**/thu-tuc?*level=tinh*");

        Assert.Contains("Cấp Phiếu Lý lịch tư pháp", await page.Locator("table.procedures").InnerTextAsync(), StringComparison.Ordinal);
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "catalog-phone.png"), FullPage = true });
        Assert.False(overflow, "the page is wider than a 375 px phone");
    }
}
