using DichVuCong.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class SignInJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_officer_signs_in_with_password_and_authenticator_code_then_signs_out()
    {
        fixture.RequireBrowser();
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString(), Locale = "vi-VN" });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.GetByLabel("Tên đăng nhập, số CCCD, email hoặc số điện thoại").FillAsync("demo.tiepnhan");
        await page.GetByLabel("Mật khẩu").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        await page.WaitForURLAsync("**/dang-nhap/xac-thuc**");
        await page.GetByLabel("Mã xác thực").FillAsync(await Totp.UnusedCodeAsync(fixture, "demo.tiepnhan"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận" }).ClickAsync();

        await page.WaitForURLAsync(fixture.BaseAddress.ToString());
        Assert.Equal("Trần Thị Bình", await page.Locator(".account .user-name").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "signed-in-officer.png") });

        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng nhập" }).WaitForAsync();
        Assert.Equal(0, await page.Locator(".account .user-name").CountAsync());
    }
}
