using System.Globalization;
using System.Text.RegularExpressions;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static DichVuCong.BrowserTests.Journey;

namespace DichVuCong.BrowserTests;

/// <summary>Someone without the dossier code finds their dossiers by CCCD and the code sent to their phone, in Chromium without JavaScript.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LookupJourneyTests(BrowserFixture fixture)
{
    /// <summary>A submitted dossier for a new person; returns the CCCD, the phone and the dossier code.</summary>
    private async Task<(string Cccd, string Phone, string Code)> SubmittedDossierAsync()
    {
        var user = await NewCitizenAsync(fixture, "Nguyễn Thị Tra Cứu");
        var (cccd, phone) = (user.CitizenId!, user.PhoneNumber!);
        using var scope = fixture.Services.CreateScope();
        var procedure = (await scope.ServiceProvider.GetRequiredService<CatalogIndex>().GetAsync(default)).Procedures.First(p => p.AgencyIds.Length > 0);
        var dossier = Dossier.StartDraft(user.Id, procedure.Id, procedure.AgencyIds[0], DateTime.UtcNow);
        dossier.SetApplicant(new Applicant { FullName = user.FullName, IdentityNumber = cccd, Phone = phone });
        var code = "TC-" + cccd[6..];
        dossier.Submit(code, null, DateTime.UtcNow);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Dossiers.Add(dossier);
        await db.SaveChangesAsync();
        return (cccd, phone, code);
    }

    [Fact]
    public async Task A_visitor_finds_their_dossiers_by_cccd_and_the_code_sent_to_their_phone()
    {
        fixture.RequireBrowser();
        var (cccd, phone, code) = await SubmittedDossierAsync();
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString(), Locale = "vi-VN", JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/tra-cuu");
        await page.GetByLabel("Số CCCD hoặc CMND của người nộp").FillAsync(cccd);
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi mã xác minh" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nếu có hồ sơ mang số giấy tờ này, mã xác minh");

        string body;
        using (var scope = fixture.Services.CreateScope())
        {
            body = await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages
                .Where(m => m.Recipient == phone && m.Purpose == "otp-tra-cuu").Select(m => m.Body).SingleAsync();
        }

        await page.GetByLabel("Mã xác minh").FillAsync(Regex.Match(body, @"\b\d{6}\b").Value);
        await page.GetByRole(AriaRole.Button, new() { Name = "Xem hồ sơ" }).ClickAsync();
        var list = page.GetByRole(AriaRole.Table);
        await Assertions.Expect(list.GetByRole(AriaRole.Link, new() { Name = code })).ToBeVisibleAsync();
        await Assertions.Expect(list).ToContainTextAsync("Nguyễn T** T** C**");
        await Assertions.Expect(list).Not.ToContainTextAsync("Nguyễn Thị Tra Cứu");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "lookup-by-cccd.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Thoát" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByLabel("Số CCCD hoặc CMND của người nộp")).ToBeVisibleAsync();
    }
}
