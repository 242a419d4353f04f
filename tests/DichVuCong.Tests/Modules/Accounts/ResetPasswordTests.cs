using System.Net;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

public abstract class ResetPasswordTests(PortalFixture portal)
{
    private async Task<NewCitizen> VerifiedCitizenAsync(bool emailVerified = true)
    {
        var person = NewCitizen.Make();
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var created = await users.CreateAsync(
            new AppUser { UserName = person.CitizenId, CitizenId = person.CitizenId, FullName = "Phạm Văn Dũng", Kind = AccountKind.Citizen, Email = person.Email, EmailConfirmed = emailVerified, PhoneNumber = person.Phone, PhoneNumberConfirmed = true },
            person.Password);
        Assert.True(created.Succeeded);
        return person;
    }

    private static async Task<AngleSharp.Dom.IDocument> AskAsync(HttpClient browser, string login)
    {
        var page = await browser.GetPageAsync("/quen-mat-khau");
        using var asked = await browser.SubmitAsync(page, "#quen-mat-khau", new Dictionary<string, string> { ["Login"] = login });
        return await browser.FollowAsync(asked);
    }

    private async Task<int> MessagesToAsync(string recipient)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.CountAsync(m => m.Recipient == recipient);
    }

    [Fact]
    public async Task A_code_sent_to_the_verified_email_sets_a_new_password_and_only_that_one_signs_in()
    {
        var person = await VerifiedCitizenAsync();
        using var browser = portal.CreateClient();

        var reset = await AskAsync(browser, person.CitizenId);
        var code = await NewCitizen.LastCodeAsync(portal, person.Email);
        Assert.Matches(@"^\d{6}$", code);

        using var done = await browser.SubmitAsync(reset, "#dat-lai", new Dictionary<string, string> { ["Code"] = code!, ["New"] = "Mat-khau-moi-789", ["Confirm"] = "Mat-khau-moi-789" });
        var signIn = await browser.FollowAsync(done);
        Assert.Contains("Đã đặt mật khẩu mới", signIn.QuerySelector(".notice").Text(), StringComparison.Ordinal);

        using var old = await browser.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.Email, ["Password"] = person.Password });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        using var fresh = await browser.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.Email, ["Password"] = "Mat-khau-moi-789" });
        Assert.Equal("Phạm Văn Dũng", (await browser.FollowAsync(fresh)).QuerySelector(".account .user-name").Text());

        // The code was spent: asking again and typing it once more does not work.
        var second = await AskAsync(browser, person.CitizenId);
        using var again = await browser.SubmitAsync(second, "#dat-lai", new Dictionary<string, string> { ["Code"] = code!, ["New"] = "Mat-khau-khac-000", ["Confirm"] = "Mat-khau-khac-000" });
        Assert.Contains("đã hết hạn", (await Html.ParseAsync(again)).QuerySelector("#ma-error").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_phone_number_gets_the_code_by_sms_and_an_unknown_login_gets_the_same_answer_and_no_message()
    {
        var person = await VerifiedCitizenAsync();
        using var browser = portal.CreateClient();

        var known = await AskAsync(browser, person.Phone);
        Assert.Matches(@"^\d{6}$", await NewCitizen.LastCodeAsync(portal, person.Phone));

        using var stranger = portal.CreateClient();
        var unknown = await AskAsync(stranger, "khong.ai@example.vn");
        Assert.Equal(known.QuerySelector("main").Text(), unknown.QuerySelector("main").Text());
        Assert.Equal(0, await MessagesToAsync("khong.ai@example.vn"));

        using var tried = await stranger.SubmitAsync(unknown, "#dat-lai", new Dictionary<string, string> { ["Code"] = "123456", ["New"] = "Mat-khau-moi-789", ["Confirm"] = "Mat-khau-moi-789" });
        Assert.Contains("Mã xác minh", (await Html.ParseAsync(tried)).QuerySelector("#ma-error").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_code_goes_to_an_email_that_was_never_verified()
    {
        var person = await VerifiedCitizenAsync(emailVerified: false);
        using var browser = portal.CreateClient();

        await AskAsync(browser, person.Email);

        Assert.Equal(0, await MessagesToAsync(person.Email));
    }

    [Fact]
    public async Task A_weak_password_is_refused_before_the_code_is_spent()
    {
        var person = await VerifiedCitizenAsync();
        using var browser = portal.CreateClient();
        var reset = await AskAsync(browser, person.Email);
        var code = (await NewCitizen.LastCodeAsync(portal, person.Email))!;

        using var weak = await browser.SubmitAsync(reset, "#dat-lai", new Dictionary<string, string> { ["Code"] = code, ["New"] = "ngan", ["Confirm"] = "ngan" });
        Assert.Equal("Mật khẩu cần ít nhất 10 ký tự.", (await Html.ParseAsync(weak)).QuerySelector("#new-error").Text());

        using var ok = await browser.SubmitAsync(reset, "#dat-lai", new Dictionary<string, string> { ["Code"] = code, ["New"] = "Mat-khau-moi-789", ["Confirm"] = "Mat-khau-moi-789" });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ResetPasswordTestsOnSqlite(SqlitePortal portal) : ResetPasswordTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class ResetPasswordTestsOnPostgreSql(PostgresPortal portal) : ResetPasswordTests(portal);
