using System.Net;
using System.Text.RegularExpressions;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

/// <summary>A new person's details, unique per test, and reading the codes the portal sent them.</summary>
internal sealed record NewCitizen(string CitizenId, string Email, string Phone, string Password = "Mat-khau-dang-ky-1")
{
    public static NewCitizen Make()
    {
        var n = Random.Shared.Next(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return new("001095" + n, $"cd{n}.{Guid.NewGuid().ToString("N")[..6]}@example.vn", "09" + Random.Shared.Next(10_000_000, 99_999_999));
    }

    public Dictionary<string, string> Form(string? birthDate = null) => new()
    {
        ["FullName"] = "Trần Thị Bình",
        ["BirthDate"] = birthDate ?? "05/09/1995",
        ["Sex"] = "nam",
        ["CitizenId"] = CitizenId,
        ["Email"] = Email,
        ["Phone"] = Phone,
        ["Address"] = "Số 12 đường Lê Lợi, phường Trần Hưng Đạo, tỉnh Nam Hà",
        ["Password"] = Password,
        ["Confirm"] = Password,
        ["Agree"] = "true",
    };

    /// <summary>The latest 6-digit code sent to this address (e-mail or phone), as the person would read it.</summary>
    public static async Task<string?> LastCodeAsync(PortalFixture portal, string recipient)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var bodies = await db.OutboxMessages.Where(m => m.Recipient == recipient && m.Purpose.StartsWith("otp-")).Select(m => new { m.CreatedAt, m.Body }).ToListAsync();
        var last = bodies.OrderBy(m => m.CreatedAt).LastOrDefault()?.Body;
        return last is null ? null : Regex.Match(last, @"\b\d{6}\b").Value;
    }

    public static async Task<AppUser?> FindAsync(PortalFixture portal, string userName)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName);
    }
}

public abstract class RegistrationTests(PortalFixture portal)
{
    private async Task<HttpResponseMessage> RegisterAsync(HttpClient browser, Dictionary<string, string> form, string type = "cong-dan")
    {
        var page = await browser.GetPageAsync("/dang-ky/" + type);
        return await browser.SubmitAsync(page, "#dang-ky", form);
    }

    [Fact]
    public async Task A_citizen_registers_verifies_email_and_phone_with_codes_and_is_then_signed_in()
    {
        using var browser = portal.CreateClient();
        var person = NewCitizen.Make();

        using var registered = await RegisterAsync(browser, person.Form());
        var verify = await browser.FollowAsync(registered);
        Assert.Equal("Xác minh email và số điện thoại", verify.QuerySelector("h1").Text());
        Assert.Contains("09", verify.QuerySelector("#xac-minh-phone")?.ParentElement?.QuerySelector("h2").Text() ?? string.Empty, StringComparison.Ordinal);

        var account = await NewCitizen.FindAsync(portal, person.CitizenId);
        Assert.NotNull(account);
        Assert.Equal(person.CitizenId, account.CitizenId);
        Assert.Equal(new DateOnly(1995, 9, 5), account.BirthDate);
        Assert.False(account.EmailConfirmed);
        Assert.False(account.PhoneNumberConfirmed);

        var emailCode = await NewCitizen.LastCodeAsync(portal, person.Email);
        var smsCode = await NewCitizen.LastCodeAsync(portal, person.Phone);
        Assert.Matches(@"^\d{6}$", emailCode);
        Assert.Matches(@"^\d{6}$", smsCode);

        var wrongCode = emailCode == "000000" ? "111111" : "000000";
        using var wrong = await browser.SubmitAsync(verify, "#xac-minh-email", new Dictionary<string, string> { ["Code"] = wrongCode });
        Assert.Contains("Mã xác minh không đúng", (await Html.ParseAsync(wrong)).QuerySelector("#ma-email-error").Text(), StringComparison.Ordinal);

        using var emailDone = await browser.SubmitAsync(verify, "#xac-minh-email", new Dictionary<string, string> { ["Code"] = emailCode! });
        var afterEmail = await browser.FollowAsync(emailDone);
        Assert.Contains("Đã xác minh email", afterEmail.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Null(afterEmail.QuerySelector(".account .user-name"));

        using var phoneDone = await browser.SubmitAsync(afterEmail, "#xac-minh-phone", new Dictionary<string, string> { ["Code"] = smsCode! });
        var done = await browser.FollowAsync(phoneDone);
        Assert.Contains("sẵn sàng để nộp hồ sơ", done.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Equal("Trần Thị Bình", done.QuerySelector(".account .user-name").Text());
        Assert.Null(done.QuerySelector("#chua-xac-minh"));

        var verified = await NewCitizen.FindAsync(portal, person.CitizenId);
        Assert.True(verified!.EmailConfirmed && verified.PhoneNumberConfirmed);
        using var scope = portal.Services.CreateScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().IsInRoleAsync(verified, Roles.Citizen));
    }

    [Fact]
    public async Task An_unverified_account_can_sign_in_but_is_told_it_cannot_submit_dossiers_yet()
    {
        var person = NewCitizen.Make();
        using (var first = portal.CreateClient())
        {
            using var registered = await RegisterAsync(first, person.Form());
            Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        }

        using var browser = portal.CreateClient();
        var signIn = await browser.GetPageAsync("/dang-nhap");
        using var signedIn = await browser.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.Email, ["Password"] = person.Password });
        var home = await browser.FollowAsync(signedIn);

        Assert.Equal("Trần Thị Bình", home.QuerySelector(".account .user-name").Text());
        Assert.Contains("chưa thể nộp hồ sơ", home.QuerySelector("#chua-xac-minh").Text(), StringComparison.Ordinal);
        Assert.Equal("/tai-khoan/xac-minh", home.QuerySelector("#chua-xac-minh a")?.GetAttribute("href"));

        // Signed in, the verification page offers both codes, and a verified phone alone is not enough.
        var verify = await browser.GetPageAsync("/tai-khoan/xac-minh");
        using var phoneDone = await browser.SubmitAsync(verify, "#xac-minh-phone", new Dictionary<string, string> { ["Code"] = (await NewCitizen.LastCodeAsync(portal, person.Phone))! });
        var after = await browser.FollowAsync(phoneDone);
        Assert.Contains("Đã xác minh số điện thoại", after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.NotNull((await browser.GetPageAsync("/")).QuerySelector("#chua-xac-minh"));
    }

    [Fact]
    public async Task An_empty_or_wrong_form_is_explained_field_by_field_in_vietnamese_and_keeps_what_was_typed()
    {
        using var browser = portal.CreateClient();
        var person = NewCitizen.Make();

        using var empty = await RegisterAsync(browser, new Dictionary<string, string>());
        var emptyPage = await Html.ParseAsync(empty);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("Nhập họ và tên", emptyPage.QuerySelector("#ho-ten-error").Text());
        Assert.Equal("Nhập số CCCD", emptyPage.QuerySelector("#cccd-error").Text());
        Assert.Equal("Đánh dấu ô đồng ý với Điều khoản sử dụng để đăng ký", emptyPage.QuerySelector("#dong-y-error").Text());
        Assert.True(emptyPage.QuerySelectorAll(".error-summary li").Length >= 9);

        var form = person.Form(birthDate: "05/09/1994");
        form["Phone"] = "0123";
        form["Confirm"] = "khac-hoan-toan";
        using var wrong = await RegisterAsync(browser, form);
        var page = await Html.ParseAsync(wrong);
        Assert.Contains("năm sinh 1995", page.QuerySelector("#cccd-error").Text(), StringComparison.Ordinal);
        Assert.Contains("10 chữ số", page.QuerySelector("#dien-thoai-error").Text(), StringComparison.Ordinal);
        Assert.Equal("Mật khẩu nhập lại không khớp", page.QuerySelector("#nhap-lai-error").Text());
        Assert.Equal(person.Email, page.QuerySelector("#email")?.GetAttribute("value"));
        Assert.Equal("Trần Thị Bình", page.QuerySelector("#ho-ten")?.GetAttribute("value"));
        Assert.Equal(string.Empty, page.QuerySelector("#mat-khau")?.GetAttribute("value") ?? string.Empty);
        Assert.Null(await NewCitizen.FindAsync(portal, person.CitizenId));
    }

    [Fact]
    public async Task Registering_details_of_an_existing_account_looks_the_same_creates_nothing_and_tells_the_owner()
    {
        using var browser = portal.CreateClient();
        var person = NewCitizen.Make() with { Email = "demo.congdan@example.vn" };
        int before;
        using (var scope = portal.Services.CreateScope())
        {
            before = await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.CountAsync(m => m.Recipient == "demo.congdan@example.vn" && m.Purpose == "dang-ky-trung");
        }

        using var registered = await RegisterAsync(browser, person.Form());
        var verify = await browser.FollowAsync(registered);

        Assert.Equal("Xác minh email và số điện thoại", verify.QuerySelector("h1").Text());
        Assert.NotNull(verify.QuerySelector("#xac-minh-email"));
        Assert.Null(await NewCitizen.FindAsync(portal, person.CitizenId));
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal(before + 1, await db.OutboxMessages.CountAsync(m => m.Recipient == "demo.congdan@example.vn" && m.Purpose == "dang-ky-trung"));
        }

        using var attempt = await browser.SubmitAsync(verify, "#xac-minh-email", new Dictionary<string, string> { ["Code"] = "123456" });
        Assert.Contains("Mã xác minh", (await Html.ParseAsync(attempt)).QuerySelector("#ma-email-error").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitting_the_form_twice_makes_one_account_and_the_second_answer_still_leads_to_it()
    {
        using var browser = portal.CreateClient();
        var person = NewCitizen.Make();
        var page = await browser.GetPageAsync("/dang-ky/cong-dan");

        using var first = await browser.SubmitAsync(page, "#dang-ky", person.Form());
        using var second = await browser.SubmitAsync(page, "#dang-ky", person.Form());
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);

        using (var scope = portal.Services.CreateScope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().Users.CountAsync(u => u.CitizenId == person.CitizenId));
        }

        // The page reached after the second click verifies the one account.
        var verify = await browser.GetPageAsync("/tai-khoan/xac-minh");
        using var done = await browser.SubmitAsync(verify, "#xac-minh-email", new Dictionary<string, string> { ["Code"] = (await NewCitizen.LastCodeAsync(portal, person.Email))! });
        Assert.Contains("Đã xác minh email", (await browser.FollowAsync(done)).QuerySelector(".notice").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_organisation_registers_with_its_tax_code_and_signs_in_with_it()
    {
        using var browser = portal.CreateClient();
        var taxCode = "01" + Random.Shared.Next(10_000_000, 99_999_999);
        var phone = "08" + Random.Shared.Next(10_000_000, 99_999_999);
        var form = new Dictionary<string, string>
        {
            ["OrganisationName"] = "Công ty TNHH Xây dựng Sông Hồng",
            ["TaxCode"] = taxCode,
            ["Representative"] = "Lê Văn Cường",
            ["Email"] = $"dn{taxCode}@example.vn",
            ["Phone"] = phone,
            ["Address"] = "Số 5 phố Hàng Bài, tỉnh Nam Hà",
            ["Password"] = "Mat-khau-doanh-nghiep-1",
            ["Confirm"] = "Mat-khau-doanh-nghiep-1",
            ["Agree"] = "true",
        };

        using var registered = await RegisterAsync(browser, form, "to-chuc");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var account = await NewCitizen.FindAsync(portal, taxCode);
        Assert.Equal(AccountKind.Organisation, account!.Kind);
        Assert.Equal("Lê Văn Cường", account.Representative);

        using var other = portal.CreateClient();
        var signIn = await other.GetPageAsync("/dang-nhap");
        using var signedIn = await other.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = taxCode, ["Password"] = "Mat-khau-doanh-nghiep-1" });
        Assert.Equal("Công ty TNHH Xây dựng Sông Hồng", (await other.FollowAsync(signedIn)).QuerySelector(".account .user-name").Text());
    }

    [Fact]
    public async Task Five_wrong_codes_use_the_code_up_and_a_new_one_cannot_be_asked_for_within_a_minute()
    {
        using var browser = portal.CreateClient();
        var person = NewCitizen.Make();
        using var registered = await RegisterAsync(browser, person.Form());
        var verify = await browser.FollowAsync(registered);
        var right = (await NewCitizen.LastCodeAsync(portal, person.Email))!;
        var wrong = right == "000000" ? "111111" : "000000";

        for (var i = 0; i < 5; i++)
        {
            using var _ = await browser.SubmitAsync(verify, "#xac-minh-email", new Dictionary<string, string> { ["Code"] = wrong });
        }

        using var late = await browser.SubmitAsync(verify, "#xac-minh-email", new Dictionary<string, string> { ["Code"] = right });
        Assert.Contains("Gửi lại mã", (await Html.ParseAsync(late)).QuerySelector("#ma-email-error").Text(), StringComparison.Ordinal);
        Assert.False((await NewCitizen.FindAsync(portal, person.CitizenId))!.EmailConfirmed);

        using var resend = await browser.SubmitAsync(verify, "#gui-lai-email", new Dictionary<string, string>());
        Assert.Contains("giây", (await Html.ParseAsync(resend)).QuerySelector("#ma-email-error").Text(), StringComparison.Ordinal);
        Assert.Equal(right, await NewCitizen.LastCodeAsync(portal, person.Email));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class RegistrationTestsOnSqlite(SqlitePortal portal) : RegistrationTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class RegistrationTestsOnPostgreSql(PostgresPortal portal) : RegistrationTests(portal);
