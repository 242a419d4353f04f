using System.Net;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

public abstract class ProfileTests(PortalFixture portal)
{
    private async Task<(HttpClient Browser, NewCitizen Person)> SignedInVerifiedCitizenAsync()
    {
        var person = NewCitizen.Make();
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            Assert.True((await users.CreateAsync(
                new AppUser { UserName = person.CitizenId, CitizenId = person.CitizenId, FullName = "Hoàng Văn Em", Kind = AccountKind.Citizen, BirthDate = new DateOnly(1995, 1, 2), Sex = Sex.Male, Email = person.Email, EmailConfirmed = true, PhoneNumber = person.Phone, PhoneNumberConfirmed = true },
                person.Password)).Succeeded);
        }

        var browser = portal.CreateClient();
        var signIn = await browser.GetPageAsync("/dang-nhap");
        using var signedIn = await browser.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.CitizenId, ["Password"] = person.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (browser, person);
    }

    [Fact]
    public async Task The_profile_shows_the_person_with_the_cccd_masked_and_an_anonymous_visitor_is_sent_to_sign_in()
    {
        var (browser, person) = await SignedInVerifiedCitizenAsync();
        using var _ = browser;

        var page = await browser.GetPageAsync("/tai-khoan");
        var text = page.QuerySelector(".summary").Text();
        Assert.Contains("Hoàng Văn Em", text, StringComparison.Ordinal);
        Assert.Contains("02/01/1995", text, StringComparison.Ordinal);
        Assert.Contains(person.CitizenId[^3..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.CitizenId, page.Source.Text, StringComparison.Ordinal);

        using var anonymous = await portal.CreateClient().GetAsync(new Uri("/tai-khoan", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/dang-nhap", anonymous.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changing_the_email_makes_it_unverified_tells_the_old_address_and_a_code_verifies_the_new_one()
    {
        var (browser, person) = await SignedInVerifiedCitizenAsync();
        using var _ = browser;
        var newEmail = "moi." + person.Email;

        var edit = await browser.GetPageAsync("/tai-khoan?sua=true");
        using var saved = await browser.SubmitAsync(edit, "#ho-so-ca-nhan", new Dictionary<string, string> { ["FullName"] = "Hoàng Văn Em Mới", ["BirthDate"] = "02/01/1995", ["Sex"] = "nam", ["Email"] = newEmail, ["Phone"] = person.Phone, ["Address"] = "Xã Yên Lạc, tỉnh Nam Hà" });
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, (await Html.ParseAsync(saved)).QuerySelector(".error-summary").Text().Replace("\n", " | ", StringComparison.Ordinal));
        var verify = await browser.FollowAsync(saved);
        Assert.Contains("xác minh email mới", verify.QuerySelector(".notice").Text(), StringComparison.Ordinal);

        var home = await browser.GetPageAsync("/");
        Assert.Equal("Hoàng Văn Em Mới", home.QuerySelector(".account .user-name").Text());
        Assert.NotNull(home.QuerySelector("#chua-xac-minh"));
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Recipient == person.Email && m.Purpose == "doi-email"));
        }

        using var verified = await browser.SubmitAsync(verify, "#xac-minh-email", new Dictionary<string, string> { ["Code"] = (await NewCitizen.LastCodeAsync(portal, newEmail))! });
        Assert.Equal(HttpStatusCode.Redirect, verified.StatusCode);
        Assert.Null((await browser.GetPageAsync("/")).QuerySelector("#chua-xac-minh"));
        var account = await NewCitizen.FindAsync(portal, person.CitizenId);
        Assert.Equal(newEmail, account!.Email);
        Assert.True(account.EmailConfirmed);
        Assert.Equal("Xã Yên Lạc, tỉnh Nam Hà", account.Address);
    }

    [Fact]
    public async Task An_email_of_another_account_or_a_wrong_birth_date_is_refused_and_nothing_changes()
    {
        var (browser, person) = await SignedInVerifiedCitizenAsync();
        using var _ = browser;
        var edit = await browser.GetPageAsync("/tai-khoan?sua=true");

        using var refused = await browser.SubmitAsync(edit, "#ho-so-ca-nhan", new Dictionary<string, string> { ["FullName"] = "Tên Khác", ["BirthDate"] = "02/01/1990", ["Sex"] = "nam", ["Email"] = "demo.congdan@example.vn", ["Phone"] = person.Phone });
        var page = await Html.ParseAsync(refused);
        Assert.Contains("Không dùng được email này", page.QuerySelector("#email-error").Text(), StringComparison.Ordinal);
        Assert.Contains("năm sinh 1995", page.QuerySelector("#ngay-sinh-error").Text(), StringComparison.Ordinal);
        Assert.Equal("Tên Khác", page.QuerySelector("#ho-ten")?.GetAttribute("value"));
        Assert.Equal("Hoàng Văn Em", (await NewCitizen.FindAsync(portal, person.CitizenId))!.FullName);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ProfileTestsOnSqlite(SqlitePortal portal) : ProfileTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class ProfileTestsOnPostgreSql(PostgresPortal portal) : ProfileTests(portal);
