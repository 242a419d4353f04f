using System.Globalization;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

/// <summary>A citizen pays a dossier's fee online through the sandbox VNPay gateway, in real Chromium, without JavaScript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PaymentJourneyTests(BrowserFixture fixture)
{
    private const string Password = "Cong-dan-mat-khau-2026";

    /// <summary>A citizen with a submitted dossier owing 75.000 đ; returns the CCCD to sign in with and the dossier.</summary>
    private async Task<(string Cccd, Guid DossierId, string Code)> CitizenOwingAsync()
    {
        var n = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var cccd = "001096" + n;
        using var scope = fixture.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = cccd, CitizenId = cccd, FullName = "Phạm Thị Nộp Phí", Kind = AccountKind.Citizen, Email = $"phi{n}@example.vn", EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Citizen)).Succeeded);

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var procedure = await db.Procedures.Where(p => p.Code == "1.001193").Select(p => new { p.Id, p.Agencies.First().AgencyId }).SingleAsync();
        var dossier = Dossier.StartDraft(user.Id, procedure.Id, procedure.AgencyId, DateTime.UtcNow);
        dossier.SetApplicant(new Applicant { FullName = user.FullName, IdentityNumber = cccd, Email = user.Email });
        dossier.Delivery = DeliveryMethod.AtDesk;
        var code = "TT-" + n;
        dossier.Submit(code, null, DateTime.UtcNow);
        dossier.SetFee(75_000, "Lệ phí đăng ký khai sinh");
        db.Dossiers.Add(dossier);
        await db.SaveChangesAsync();
        return (cccd, dossier.Id, code);
    }

    [Fact]
    public async Task A_citizen_pays_the_fee_at_the_sandbox_gateway_and_sees_the_dossier_paid()
    {
        fixture.RequireBrowser();
        var (cccd, id, code) = await CitizenOwingAsync();
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString(), Locale = "vi-VN", JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dang-nhap");
        await page.GetByLabel("Tên đăng nhập, số CCCD, email hoặc số điện thoại").FillAsync(cccd);
        await page.GetByLabel("Mật khẩu").FillAsync(Password);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Đăng nhập", Exact = true }).ClickAsync();
        await page.Locator(".account .user-name").WaitForAsync();

        await page.GotoAsync("/thanh-toan");
        var row = page.Locator("#can-thanh-toan tr", new() { HasText = code });
        await Assertions.Expect(row).ToContainTextAsync("75.000 đ");
        await row.GetByRole(AriaRole.Button, new() { Name = "Thanh toán hồ sơ " + code }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cổng thanh toán thử nghiệm" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#so-tien")).ToHaveTextAsync("75.000 đ");
        await page.GetByLabel("Vietcombank").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Thanh toán thành công" }).ClickAsync();

        await page.WaitForURLAsync("**/thanh-toan/ket-qua?**");
        await Assertions.Expect(page.Locator("#trang-thai-thanh-toan")).ToHaveTextAsync("Đã thanh toán");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "thanh-toan-ket-qua.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "Xem hồ sơ " + code }).ClickAsync();
        await Assertions.Expect(page.Locator("#da-thanh-toan")).ToContainTextAsync("Đã thanh toán lúc");
        await Assertions.Expect(page.Locator("#thanh-toan")).ToHaveCountAsync(0);
        await context.CloseAsync();
    }
}
