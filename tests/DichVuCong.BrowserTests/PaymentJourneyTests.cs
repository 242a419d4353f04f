using System.Globalization;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static DichVuCong.BrowserTests.Journey;

namespace DichVuCong.BrowserTests;

/// <summary>A citizen pays a dossier's fee online through the sandbox VNPay gateway, in real Chromium, without JavaScript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PaymentJourneyTests(BrowserFixture fixture)
{
    /// <summary>A citizen with a submitted dossier owing 75.000 đ; returns the CCCD to sign in with and the dossier.</summary>
    private async Task<(string Cccd, Guid DossierId, string Code)> CitizenOwingAsync()
    {
        var user = await NewCitizenAsync(fixture, "Phạm Thị Nộp Phí");
        var cccd = user.CitizenId!;
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var procedure = await db.Procedures.Where(p => p.Code == "1.001193").Select(p => new { p.Id, p.Agencies.First().AgencyId }).SingleAsync();
        var dossier = Dossier.StartDraft(user.Id, procedure.Id, procedure.AgencyId, DateTime.UtcNow);
        dossier.SetApplicant(new Applicant { FullName = user.FullName, IdentityNumber = cccd, Email = user.Email });
        dossier.Delivery = DeliveryMethod.AtDesk;
        var code = "TT-" + cccd[6..];
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
        var page = await CitizenAsync(fixture, cccd, javaScript: false);

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
        await page.Context.CloseAsync();
    }
}
