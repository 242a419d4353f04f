using System.Text.RegularExpressions;
using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class RegistrationJourneyTests(BrowserFixture fixture)
{
    private async Task<string> CodeSentToAsync(string recipient)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var bodies = await db.OutboxMessages.Where(m => m.Recipient == recipient && m.Purpose.StartsWith("otp-")).Select(m => m.Body).ToListAsync();
        return Regex.Match(bodies.Single(), @"\b\d{6}\b").Value;
    }

    [Fact]
    public async Task A_citizen_on_a_phone_registers_fixes_a_mistake_enters_both_codes_and_is_signed_in()
    {
        fixture.RequireBrowser();
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            Locale = "vi-VN",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        var page = await context.NewPageAsync();
        var n = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var email = $"journey{n}@example.vn";
        var phone = "098" + n + "1";

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng ký", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Công dân", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Họ và tên", Exact = true }).FillAsync("Vũ Thị Hoa");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Ngày sinh", Exact = true }).FillAsync("12/03/1992");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Nữ", Exact = true }).CheckAsync();
        // A mistake: the fourth digit says male.
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Số CCCD (số định danh cá nhân)", Exact = true }).FillAsync("036092" + n);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Email", Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Số điện thoại di động", Exact = true }).FillAsync(phone);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Địa chỉ liên hệ", Exact = true }).FillAsync("Thôn Đông, xã Yên Lạc, tỉnh Nam Hà");
        await page.Locator("#mat-khau").FillAsync("Hoa-mat-khau-2026");
        await page.Locator("#nhap-lai").FillAsync("Hoa-mat-khau-2026");
        await page.GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký", Exact = true }).ClickAsync();

        await page.Locator(".error-summary").WaitForAsync();
        Assert.Contains("không khớp với giới tính", await page.Locator("#cccd-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(email, await page.GetByRole(AriaRole.Textbox, new() { Name = "Email", Exact = true }).InputValueAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "registration-error-phone.png"), FullPage = true });

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Số CCCD (số định danh cá nhân)", Exact = true }).FillAsync("036192" + n);
        await page.Locator("#mat-khau").FillAsync("Hoa-mat-khau-2026");
        await page.Locator("#nhap-lai").FillAsync("Hoa-mat-khau-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký", Exact = true }).ClickAsync();

        await page.WaitForURLAsync("**/tai-khoan/xac-minh");
        await page.GetByLabel("Mã xác minh nhận qua email").FillAsync(await CodeSentToAsync(email));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác minh email" }).ClickAsync();
        await page.GetByText("Đã xác minh email.").WaitForAsync();
        await page.GetByLabel("Mã xác minh nhận qua tin nhắn SMS").FillAsync(await CodeSentToAsync(phone));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác minh số điện thoại" }).ClickAsync();

        await page.GetByText("Tài khoản của bạn đã sẵn sàng để nộp hồ sơ trực tuyến.").WaitForAsync();
        Assert.Equal("Vũ Thị Hoa", await page.Locator(".account .user-name").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#chua-xac-minh").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "registration-verified-phone.png"), FullPage = true });
    }
}
