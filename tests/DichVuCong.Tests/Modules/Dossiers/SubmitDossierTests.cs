using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Dossiers;

public abstract class SubmitDossierTests(PortalFixture portal)
{
    private async Task<ProcedureEntry> OnlineProcedureAsync(bool severalAgencies = false)
    {
        var snapshot = await portal.Services.GetRequiredService<CatalogIndex>().GetAsync(default);
        return snapshot.Procedures.First(p => p.OnlineLevel != OnlineLevel.None && (severalAgencies ? p.AgencyIds.Length > 1 : p.AgencyIds.Length == 1));
    }

    private async Task<(HttpClient Browser, NewCitizen Person)> SignedInCitizenAsync(bool verified = true)
    {
        var person = NewCitizen.Make();
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = person.CitizenId, CitizenId = person.CitizenId, FullName = "Ngô Văn Khánh", Kind = AccountKind.Citizen, BirthDate = new DateOnly(1995, 4, 1), Sex = Sex.Male, Email = person.Email, EmailConfirmed = verified, PhoneNumber = person.Phone, PhoneNumberConfirmed = verified, Address = "Thôn Bắc, xã Yên Lạc, tỉnh Nam Hà" };
            Assert.True((await users.CreateAsync(user, person.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Citizen)).Succeeded);
        }

        var browser = portal.CreateClient();
        var signIn = await browser.GetPageAsync("/dang-nhap");
        using var signedIn = await browser.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.CitizenId, ["Password"] = person.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (browser, person);
    }

    /// <summary>Starts a draft and fills every step; returns the review page.</summary>
    private static async Task<IDocument> FilledDraftAsync(HttpClient browser, ProcedureEntry procedure)
    {
        var start = await browser.GetPageAsync("/nop-ho-so?thu-tuc=" + procedure.Code);
        using var started = await browser.SubmitAsync(start, "#bat-dau", new Dictionary<string, string>());
        var applicant = await browser.FollowAsync(started);
        using var prefilled = await browser.SubmitAsync(applicant, "#dien-san", new Dictionary<string, string>());
        var filled = await browser.FollowAsync(prefilled);
        Assert.Equal("Ngô Văn Khánh", filled.QuerySelector("#ho-ten")?.GetAttribute("value"));
        using var next = await browser.SubmitAsync(filled, "#buoc", new Dictionary<string, string> { ["Then"] = "tiep" });
        var delivery = await browser.FollowAsync(next);
        using var chosen = await browser.SubmitAsync(delivery, "#buoc", new Dictionary<string, string> { ["Delivery"] = "mot-cua", ["Then"] = "tiep" });
        return await browser.FollowAsync(chosen);
    }

    private static Guid DossierIdOf(IDocument page) => Guid.Parse(Regex.Match(page.Url, "/nop-ho-so/([0-9a-f-]{36})/").Groups[1].Value);

    [Fact]
    public async Task A_citizen_fills_the_steps_submits_and_gets_a_code_by_page_email_and_sms_then_finds_it_in_my_dossiers()
    {
        var (browser, person) = await SignedInCitizenAsync();
        using var _ = browser;
        var procedure = await OnlineProcedureAsync();

        var review = await FilledDraftAsync(browser, procedure);
        Assert.Equal("Kiểm tra lại và gửi", review.QuerySelector("h1").Text());
        Assert.Null(review.QuerySelector(".error-summary"));
        Assert.Contains("Nhận trực tiếp tại Bộ phận Một cửa", review.QuerySelector("main").Text(), StringComparison.Ordinal);

        using var sent = await browser.SubmitAsync(review, "#gui-di", new Dictionary<string, string>());
        var done = await browser.FollowAsync(sent);
        var code = done.QuerySelector("#ma-ho-so").Text();
        string agencyCode;
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            agencyCode = await db.Agencies.Where(a => a.Id == procedure.AgencyIds[0]).Select(a => a.Code).SingleAsync();
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Recipient == person.Email && m.Purpose == "nop-ho-so" && m.Body.Contains(code)));
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Recipient == person.Phone && m.Purpose == "nop-ho-so" && m.Body.Contains(code)));
        }

        Assert.Matches("^" + Regex.Escape(agencyCode) + @"-\d{6}-\d{4}$", code);
        var mine = await browser.GetPageAsync("/ho-so-cua-toi");
        Assert.Contains(code, mine.QuerySelector("table").Text(), StringComparison.Ordinal);
        Assert.Contains("Mới nộp, chờ tiếp nhận 1", Regex.Replace(mine.QuerySelector(".status-tabs").Text(), @"\s+", " "), StringComparison.Ordinal);

        var detail = await browser.GetPageAsync("/ho-so-cua-toi/" + DossierIdOf(done));
        Assert.Equal("Mới nộp, chờ tiếp nhận", detail.QuerySelector("#trang-thai").Text());
        using var withdrawn = await browser.SubmitAsync(detail, "#rut-ho-so", new Dictionary<string, string> { ["Reason"] = "Nộp nhầm thủ tục" });
        var after = await browser.FollowAsync(withdrawn);
        Assert.Equal("Công dân rút hồ sơ", after.QuerySelector("#trang-thai").Text());
        Assert.Contains("Nộp nhầm thủ tục", after.QuerySelector(".timeline").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pressing_send_twice_makes_one_dossier_with_one_code()
    {
        var (browser, _) = await SignedInCitizenAsync();
        using var _b = browser;
        var review = await FilledDraftAsync(browser, await OnlineProcedureAsync());

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var sent = await browser.SubmitAsync(review, "#gui-di", new Dictionary<string, string>());
            return sent.Headers.Location?.OriginalString;
        }));

        Assert.Single(answers.Distinct());
        var done = await browser.GetPageAsync(answers[0]!);
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var dossier = await db.Dossiers.Include(d => d.Events).SingleAsync(d => d.Id == DossierIdOf(done));
        Assert.Equal(done.QuerySelector("#ma-ho-so").Text(), dossier.Code);
        Assert.Single(dossier.Events, e => e.Status == DossierStatus.Submitted);
    }

    [Fact]
    public async Task An_unverified_account_keeps_its_draft_and_is_told_why_it_cannot_send()
    {
        var (browser, _) = await SignedInCitizenAsync(verified: false);
        using var _b = browser;
        var review = await FilledDraftAsync(browser, await OnlineProcedureAsync());

        using var sent = await browser.SubmitAsync(review, "#gui-di", new Dictionary<string, string>());
        var page = await Html.ParseAsync(sent);

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("chưa xác minh email và số điện thoại", page.QuerySelector(".error-summary").Text(), StringComparison.Ordinal);
        using var scope = portal.Services.CreateScope();
        Assert.Equal(DossierStatus.Draft, (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Dossiers.SingleAsync(d => d.Id == DossierIdOf(review))).Status);
    }

    [Fact]
    public async Task A_wrong_step_is_explained_keeps_what_was_typed_and_the_draft_survives_a_restart()
    {
        var (browser, person) = await SignedInCitizenAsync();
        using var _b = browser;
        var procedure = await OnlineProcedureAsync();
        var start = await browser.GetPageAsync("/nop-ho-so?thu-tuc=" + procedure.Code);
        using var started = await browser.SubmitAsync(start, "#bat-dau", new Dictionary<string, string>());
        var applicant = await browser.FollowAsync(started);

        using var wrong = await browser.SubmitAsync(applicant, "#buoc", new Dictionary<string, string> { ["ApplicantName"] = "Đinh Thị Lan", ["ApplicantId"] = "12345", ["ApplicantPhone"] = "0987654321", ["Then"] = "tiep" });
        var page = await Html.ParseAsync(wrong);
        Assert.Equal("Nhập số CCCD gồm 12 chữ số.", page.QuerySelector("#so-dinh-danh-error").Text());
        Assert.Equal("Nhập địa chỉ liên hệ", page.QuerySelector("#dia-chi-error").Text());
        Assert.Equal("Đinh Thị Lan", page.QuerySelector("#ho-ten")?.GetAttribute("value"));

        // Another host on the same database (a restart) shows the saved draft to the same person.
        await using var restarted = portal.Factory.WithWebHostBuilder(_ => { });
        using var later = restarted.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await later.GetPageAsync("/dang-nhap");
        using var signedIn = await later.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.CitizenId, ["Password"] = person.Password });
        var mine = await later.GetPageAsync("/ho-so-cua-toi");
        Assert.Contains("Hồ sơ nháp", mine.QuerySelector("table").Text(), StringComparison.Ordinal);
        var resumed = await later.GetPageAsync($"/nop-ho-so/{DossierIdOf(applicant)}/nguoi-nop");
        Assert.Equal("Đinh Thị Lan", resumed.QuerySelector("#ho-ten")?.GetAttribute("value"));

        using var deleted = await later.SubmitAsync(mine, "table form", new Dictionary<string, string>());
        Assert.Contains("Đã xóa hồ sơ nháp", (await later.FollowAsync(deleted)).QuerySelector(".notice").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_citizen_cannot_open_change_send_withdraw_or_delete_the_dossier()
    {
        var (owner, _) = await SignedInCitizenAsync();
        using var _o = owner;
        var review = await FilledDraftAsync(owner, await OnlineProcedureAsync());
        var id = DossierIdOf(review);
        var (stranger, _) = await SignedInCitizenAsync();
        using var _s = stranger;

        foreach (var url in new[] { $"/nop-ho-so/{id}/nguoi-nop", $"/nop-ho-so/{id}/kiem-tra", $"/ho-so-cua-toi/{id}" })
        {
            using var look = await stranger.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, look.StatusCode);
        }

        var ownPage = await stranger.GetPageAsync("/ho-so-cua-toi");
        var token = ownPage.QuerySelector("form[action='/dang-xuat'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        foreach (var url in new[] { $"/nop-ho-so/{id}/kiem-tra?handler=Submit", $"/nop-ho-so/{id}/nguoi-nop", $"/ho-so-cua-toi/{id}?handler=Withdraw", $"/ho-so-cua-toi?handler=Delete&id={id}" })
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["ApplicantName"] = "Kẻ Gian", ["Then"] = "luu" });
            using var forged = await stranger.PostAsync(new Uri(url, UriKind.Relative), form);
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }

        using var scope = portal.Services.CreateScope();
        var dossier = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Dossiers.SingleAsync(d => d.Id == id);
        Assert.Equal(DossierStatus.Draft, dossier.Status);
        Assert.Equal("Ngô Văn Khánh", dossier.Applicant.FullName);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SubmitDossierTestsOnSqlite(SqlitePortal portal) : SubmitDossierTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class SubmitDossierTestsOnPostgreSql(PostgresPortal portal) : SubmitDossierTests(portal);
