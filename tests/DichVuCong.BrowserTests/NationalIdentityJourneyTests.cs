using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class NationalIdentityJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_citizen_signs_in_with_the_national_identity_and_lands_back_signed_in()
    {
        fixture.RequireBrowser();
        // A portal of its own with the sandbox provider on; the provider's address defaults to the portal's, known once Kestrel has a port.
        var (portal, address) = BrowserFixture.StartPortal(new Dictionary<string, string?> { ["NationalIdentity:Sandbox:Enabled"] = "true" });
        await using var _ = portal;
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString(), Locale = "vi-VN" });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/dang-nhap?returnUrl=%2Fthu-tuc");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "sign-in-with-national-identity.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập bằng tài khoản định danh điện tử VNeID" }).ClickAsync();

        await page.WaitForURLAsync("**/dinh-danh-thu/authorize?**");
        Assert.Equal("Chọn người dùng thử", await page.Locator("h1").InnerTextAsync());
        await page.GetByLabel("Phạm Thị Thu Hằng").CheckAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "national-identity-sandbox.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Đồng ý đăng nhập" }).ClickAsync();

        await page.WaitForURLAsync(new Uri(address, "/thu-tuc").ToString());
        Assert.Equal("Phạm Thị Thu Hằng", await page.Locator(".account .user-name").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "signed-in-national-identity.png") });
    }
}
