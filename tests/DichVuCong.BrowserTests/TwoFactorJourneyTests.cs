using DichVuCong.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class TwoFactorJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_organisation_turns_on_two_factor_by_scanning_the_qr_code_and_gets_recovery_codes()
    {
        fixture.RequireBrowser();
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString(), Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                blocked.Add(message.Text);
            }
        };

        await page.GotoAsync("/dang-nhap");
        await page.GetByLabel("Tên đăng nhập, số CCCD, email hoặc số điện thoại").FillAsync("demo.doanhnghiep");
        await page.GetByLabel("Mật khẩu").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.WaitForURLAsync(fixture.BaseAddress.ToString());
        await page.GotoAsync("/tai-khoan/mat-khau");
        await page.GetByRole(AriaRole.Link, new() { Name = "Xác thực hai bước" }).ClickAsync();

        var qr = page.GetByRole(AriaRole.Img, new() { Name = "Mã QR để thêm tài khoản vào ứng dụng xác thực" });
        var box = await qr.BoundingBoxAsync();
        Assert.True(box is { Width: >= 150, Height: >= 150 }, "the QR code is drawn large enough to scan");
        var key = (await page.Locator("#khoa").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "two-factor-enrol.png"), FullPage = true });

        await page.GetByLabel("Mã 6 chữ số ứng dụng hiện ra").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Bật xác thực hai bước" }).ClickAsync();

        await page.GetByRole(AriaRole.Heading, new() { Name = "Mã khôi phục của bạn" }).WaitForAsync();
        Assert.Equal(10, await page.Locator(".recovery-codes li").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "two-factor-recovery-codes.png"), FullPage = true });
        Assert.Empty(blocked);
    }
}
