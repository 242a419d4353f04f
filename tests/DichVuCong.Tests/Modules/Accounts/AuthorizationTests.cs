using System.Net;
using AngleSharp.Dom;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

/// <summary>Signing in as people do, and the back-office accounts the tests need.</summary>
internal static class BackOffice
{
    public static HttpClient Browser(WebApplicationFactory<Program> factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in with the password, then the authenticator code when the account asks for one.</summary>
    public static async Task<HttpClient> SignedInAsync(WebApplicationFactory<Program> factory, string login, string password = PortalFactory.DemoPassword)
    {
        var browser = Browser(factory);
        using var response = await SignInAsync(browser, login, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        if (response.Headers.Location!.OriginalString.StartsWith("/dang-nhap/xac-thuc", StringComparison.Ordinal))
        {
            var second = await browser.FollowAsync(response);
            using var done = await browser.SubmitAsync(second, "main form", new Dictionary<string, string> { ["Code"] = await Totp.UnusedCodeAsync(factory, login) });
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        }

        return browser;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string login, string password)
    {
        var page = await browser.GetPageAsync("/dang-nhap");
        return await browser.SubmitAsync(page, "main form", new Dictionary<string, string> { ["Login"] = login, ["Password"] = password });
    }

    /// <summary>The path a redirect leads to, whether the location is absolute (authentication) or relative (pages).</summary>
    public static string RedirectPath(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
    }

    /// <summary>Posts what no page offers (a forged form), with this session's valid form token taken from a page.</summary>
    public static async Task<HttpResponseMessage> ForgeAsync(HttpClient browser, IDocument pageWithToken, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = pageWithToken.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await browser.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    public static async Task<int> AgencyIdAsync(IServiceProvider services, string name)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Agencies.Where(a => a.Name == name).Select(a => a.Id).SingleAsync();
    }

    /// <summary>The commune of the demo agency admin (A) and another commune (B).</summary>
    public static async Task<(int A, int B)> CommunesAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var admin = await db.Users.SingleAsync(u => u.UserName == "demo.quantridonvi");
        var a = await db.UserAgencies.Where(x => x.UserId == admin.Id).Select(x => x.AgencyId).SingleAsync();
        var b = await db.Agencies.Where(x => x.Level == AgencyLevel.Commune && x.Id != a).OrderBy(x => x.Code).Select(x => x.Id).FirstAsync();
        return (a, b);
    }

    /// <summary>An officer made directly in the database, optionally with a password and the demo authenticator secret.</summary>
    public static async Task<(Guid Id, string Email, string FullName)> CreateOfficerAsync(IServiceProvider services, int agencyId, string role, string? password = null, bool twoFactor = false)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var email = $"canbo.{suffix}@namha.gov.vn";
        var fullName = "Cán Bộ Thử " + suffix;
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, FullName = fullName, Kind = AccountKind.Officer, LockoutEnabled = true, CreatedAt = DateTime.UtcNow };
        user.Agencies.Add(new UserAgency { AgencyId = agencyId });
        Assert.True((password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        if (twoFactor)
        {
            var store = (IUserAuthenticatorKeyStore<AppUser>)scope.ServiceProvider.GetRequiredService<IUserStore<AppUser>>();
            await store.SetAuthenticatorKeyAsync(user, PortalFactory.DemoTotpSecret, CancellationToken.None);
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        }

        return (user.Id, email, fullName);
    }
}

public abstract class AuthorizationTests(PortalFixture portal)
{
    private static readonly string[] BackOfficePages = ["/can-bo", "/quan-tri", "/quan-tri/can-bo", "/quan-tri/can-bo/them"];

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in()
    {
        _ = portal.Services;
        using var browser = BackOffice.Browser(portal.Factory);

        foreach (var url in BackOfficePages)
        {
            using var response = await browser.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal("/dang-nhap", BackOffice.RedirectPath(response));
        }
    }

    [Fact]
    public async Task A_citizen_cannot_open_the_officer_desk_or_administration()
    {
        _ = portal.Services;
        using var citizen = await BackOffice.SignedInAsync(portal.Factory, "demo.congdan");

        foreach (var url in BackOfficePages)
        {
            using var response = await citizen.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(response));
        }

        var denied = await citizen.GetPageAsync("/khong-co-quyen", HttpStatusCode.Forbidden);
        Assert.Equal("Không có quyền truy cập", denied.QuerySelector("h1").Text());
        var home = await citizen.GetPageAsync("/");
        Assert.Null(home.QuerySelector(".account a[href='/can-bo']"));
        Assert.Null(home.QuerySelector(".account a[href='/quan-tri']"));
    }

    [Fact]
    public async Task An_officer_sees_their_agencies_and_roles_on_the_desk_but_not_administration()
    {
        _ = portal.Services;
        using var officer = await BackOffice.SignedInAsync(portal.Factory, "demo.tiepnhan");

        var desk = await officer.GetPageAsync("/can-bo");
        Assert.Equal("Bàn làm việc của cán bộ", desk.QuerySelector("h1").Text());
        var agencies = desk.QuerySelectorAll("#danh-sach-co-quan > li").Select(li => li.Text()).ToList();
        Assert.Contains(agencies, a => a.StartsWith("Sở Tư pháp tỉnh Nam Hà", StringComparison.Ordinal));
        Assert.Contains(agencies, a => a.StartsWith("Ủy ban nhân dân", StringComparison.Ordinal));
        Assert.Equal(["Cán bộ tiếp nhận"], desk.QuerySelectorAll("#danh-sach-vai-tro li").Select(li => li.Text()));
        Assert.Equal("Bàn làm việc", desk.QuerySelector(".account a[href='/can-bo']").Text());
        Assert.Null(desk.QuerySelector(".account a[href='/quan-tri']"));

        using var admin = await officer.GetAsync(new Uri("/quan-tri", UriKind.Relative));
        Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(admin));
    }

    [Fact]
    public async Task An_officer_who_signed_in_without_the_second_factor_cannot_open_the_desk()
    {
        var (a, _) = await BackOffice.CommunesAsync(portal.Services);
        var (_, email, _) = await BackOffice.CreateOfficerAsync(portal.Services, a, Roles.Reception, "Mat-khau-can-bo-1");
        using var officer = await BackOffice.SignedInAsync(portal.Factory, email, "Mat-khau-can-bo-1");

        using var response = await officer.GetAsync(new Uri("/can-bo", UriKind.Relative));

        // Sent away (to the access-denied page, or to enrol an authenticator), never shown the desk.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Administrators_see_the_administration_link_and_their_scope()
    {
        _ = portal.Services;
        using var agencyAdmin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantridonvi");
        using var systemAdmin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantri");

        var agencyHome = await agencyAdmin.GetPageAsync("/quan-tri");
        var systemHome = await systemAdmin.GetPageAsync("/quan-tri");

        Assert.NotNull(agencyHome.QuerySelector(".account a[href='/quan-tri']"));
        Assert.NotNull(agencyHome.QuerySelector(".account a[href='/can-bo']"));
        Assert.StartsWith("Bạn quản trị: Ủy ban nhân dân", agencyHome.QuerySelector("#pham-vi").Text(), StringComparison.Ordinal);
        Assert.Null(agencyHome.QuerySelector("main a[href='/quan-tri/thu-da-gui']"));
        Assert.NotNull(systemHome.QuerySelector("main a[href='/quan-tri/thu-da-gui']"));
        Assert.NotNull(systemHome.QuerySelector("main a[href='/quan-tri/can-bo/them']"));
    }

    [Fact]
    public async Task An_officer_of_agency_A_may_act_in_A_and_its_sub_units_but_not_in_B()
    {
        var (a, b) = await BackOffice.CommunesAsync(portal.Services);
        var department = await BackOffice.AgencyIdAsync(portal.Services, "Sở Nông nghiệp và Môi trường tỉnh Nam Hà");
        var landOffice = await BackOffice.AgencyIdAsync(portal.Services, "Văn phòng Đăng ký đất đai tỉnh Nam Hà");
        var landBranch = await BackOffice.AgencyIdAsync(portal.Services, "Chi nhánh Văn phòng Đăng ký đất đai khu vực Nam Hà - Hồng Phong");
        var province = await BackOffice.AgencyIdAsync(portal.Services, "Ủy ban nhân dân tỉnh Nam Hà");
        var justice = await BackOffice.AgencyIdAsync(portal.Services, "Sở Tư pháp tỉnh Nam Hà");
        var (officerA, _, _) = await BackOffice.CreateOfficerAsync(portal.Services, a, Roles.Specialist);
        var (officerOfDepartment, _, _) = await BackOffice.CreateOfficerAsync(portal.Services, department, Roles.Leader);
        var (officerOfProvince, _, _) = await BackOffice.CreateOfficerAsync(portal.Services, province, Roles.Reception);

        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
        async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(Guid id) => await signIn.CreateUserPrincipalAsync((await users.FindByIdAsync(id.ToString()))!);
        async Task<bool> MayAsync(System.Security.Claims.ClaimsPrincipal user, object resource, AgencyOperation operation) =>
            (await authorization.AuthorizeAsync(user, resource, operation)).Succeeded;

        var specialist = await PrincipalAsync(officerA);
        Assert.True(await MayAsync(specialist, a, AgencyOperations.Process));
        Assert.True(await MayAsync(specialist, new Dossier(a), AgencyOperations.Process));
        Assert.False(await MayAsync(specialist, b, AgencyOperations.Process));
        Assert.False(await MayAsync(specialist, new Dossier(b), AgencyOperations.Process));
        Assert.False(await MayAsync(specialist, a, AgencyOperations.ManageOfficers));

        var leader = await PrincipalAsync(officerOfDepartment);
        Assert.True(await MayAsync(leader, landOffice, AgencyOperations.Process));
        Assert.True(await MayAsync(leader, landBranch, AgencyOperations.Process));
        Assert.False(await MayAsync(leader, justice, AgencyOperations.Process));

        var provincial = await PrincipalAsync(officerOfProvince);
        Assert.True(await MayAsync(provincial, province, AgencyOperations.Process));
        Assert.False(await MayAsync(provincial, justice, AgencyOperations.Process));
        Assert.False(await MayAsync(provincial, a, AgencyOperations.Process));

        var systemAdmin = await PrincipalAsync((await users.FindByNameAsync("demo.quantri"))!.Id);
        Assert.True(await MayAsync(systemAdmin, b, AgencyOperations.Process));
        Assert.True(await MayAsync(systemAdmin, new OfficerTarget([b], IsSystemAdmin: false), AgencyOperations.ManageOfficers));

        var agencyAdmin = await PrincipalAsync((await users.FindByNameAsync("demo.quantridonvi"))!.Id);
        Assert.True(await MayAsync(agencyAdmin, new OfficerTarget([a], IsSystemAdmin: false), AgencyOperations.ManageOfficers));
        Assert.False(await MayAsync(agencyAdmin, new OfficerTarget([b], IsSystemAdmin: false), AgencyOperations.ManageOfficers));
        Assert.False(await MayAsync(agencyAdmin, new OfficerTarget([a, justice], IsSystemAdmin: false), AgencyOperations.ManageOfficers));
        Assert.False(await MayAsync(agencyAdmin, new OfficerTarget([a], IsSystemAdmin: true), AgencyOperations.ManageOfficers));
    }

    [Fact]
    public async Task An_agency_admin_of_A_cannot_see_edit_disable_or_create_officers_of_B()
    {
        var (a, b) = await BackOffice.CommunesAsync(portal.Services);
        var (inA, _, nameInA) = await BackOffice.CreateOfficerAsync(portal.Services, a, Roles.Reception);
        var (inB, _, nameInB) = await BackOffice.CreateOfficerAsync(portal.Services, b, Roles.Reception);
        using var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantridonvi");

        var list = await admin.GetPageAsync("/quan-tri/can-bo");
        var names = list.QuerySelectorAll("#danh-sach-can-bo tbody th").Select(th => th.Text()).ToList();
        Assert.Contains(nameInA, names);
        Assert.DoesNotContain(nameInB, names);
        // Officers who also serve another agency (the demo officers are at Sở Tư pháp too) are not theirs alone.
        Assert.DoesNotContain("Trần Thị Bình", names);

        using var open = await admin.GetAsync(new Uri($"/quan-tri/can-bo/{inB}", UriKind.Relative));
        Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(open));

        var own = await admin.GetPageAsync($"/quan-tri/can-bo/{inA}");
        using var disable = await BackOffice.ForgeAsync(admin, own, $"/quan-tri/can-bo/{inB}?handler=Disable", []);
        Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(disable));
        using var save = await BackOffice.ForgeAsync(admin, own, $"/quan-tri/can-bo/{inB}?handler=Save", [new("AgencyIds[0]", a.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("RoleNames[0]", Roles.AgencyAdmin)]);
        Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(save));
        // Moving their own officer into B is as forbidden as acting in B.
        using var move = await BackOffice.ForgeAsync(admin, own, $"/quan-tri/can-bo/{inA}?handler=Save", [new("AgencyIds[0]", b.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("RoleNames[0]", Roles.Reception)]);
        Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(move));

        var form = await admin.GetPageAsync("/quan-tri/can-bo/them");
        Assert.Equal([a.ToString(System.Globalization.CultureInfo.InvariantCulture)], form.QuerySelectorAll("#co-quan input").Select(i => i.GetAttribute("value")));
        Assert.DoesNotContain(Roles.SystemAdmin, form.QuerySelectorAll("#vai-tro input").Select(i => i.GetAttribute("value")));
        var email = $"gia.mao.{Guid.NewGuid():N}@namha.gov.vn";
        using var createInB = await admin.SubmitAsync(form, "#them-can-bo", new Dictionary<string, string>
        {
            ["FullName"] = "Người Giả Mạo",
            ["Email"] = email,
            ["AgencyIds[0]"] = b.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RoleNames[0]"] = Roles.Reception,
        });
        Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(createInB));
        using var systemAdminInA = await admin.SubmitAsync(form, "#them-can-bo", new Dictionary<string, string>
        {
            ["FullName"] = "Người Giả Mạo",
            ["Email"] = email,
            ["AgencyIds[0]"] = a.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RoleNames[0]"] = Roles.SystemAdmin,
        });
        Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(systemAdminInA));

        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.Null(await users.FindByEmailAsync(email));
        var officerB = (await users.FindByIdAsync(inB.ToString()))!;
        Assert.False(await users.IsLockedOutAsync(officerB));
        Assert.Equal([Roles.Reception], await users.GetRolesAsync(officerB));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal([a], await db.UserAgencies.Where(x => x.UserId == inA).Select(x => x.AgencyId).ToListAsync(TestContext.Current.CancellationToken));
    }

    private sealed record Dossier(int AgencyId) : IAgencyOwned;
}

[Collection(SqliteCollection.Name)]
public sealed class AuthorizationTestsOnSqlite(SqlitePortal portal) : AuthorizationTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class AuthorizationTestsOnPostgreSql(PostgresPortal portal) : AuthorizationTests(portal);
