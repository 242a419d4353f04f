using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Accounts.SetPassword;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Accounts;

public abstract partial class OfficerAdminTests(PortalFixture portal)
{
    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"https?://[^/\s]+(/dat-mat-khau\?\S+)")]
    private static partial Regex SetPasswordLink();

    private async Task<List<AuditEvent>> AuditAsync(Guid userId)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .Where(e => e.UserId == userId).OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<Guid> UserIdAsync(string userName)
    {
        using var scope = portal.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByNameAsync(userName))!.Id;
    }

    [Fact]
    public async Task A_system_admin_creates_an_officer_who_sets_a_password_from_the_email_and_signs_in()
    {
        var commune = await BackOffice.AgencyIdAsync(portal.Services, "Ủy ban nhân dân xã Yên Mỹ");
        var email = $"moi.{Guid.NewGuid():N}@namha.gov.vn";
        using var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantri");

        var form = await admin.GetPageAsync("/quan-tri/can-bo/them");
        Assert.Contains(Roles.SystemAdmin, form.QuerySelectorAll("#vai-tro input").Select(i => i.GetAttribute("value")));
        using var created = await admin.SubmitAsync(form, "#them-can-bo", new Dictionary<string, string>
        {
            ["FullName"] = "Đặng Thị Hoa",
            ["Email"] = email.ToUpperInvariant(),
            ["Phone"] = "+84 97" + System.Security.Cryptography.RandomNumberGenerator.GetInt32(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture),
            ["AgencyIds[0]"] = Id(commune),
            ["RoleNames[0]"] = Roles.Reception,
            ["RoleNames[1]"] = Roles.Leader,
        });
        var page = await admin.FollowAsync(created);

        Assert.Contains("Đã tạo tài khoản Đặng Thị Hoa", page.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Equal("Vai trò: Cán bộ tiếp nhận, Lãnh đạo; Cơ quan: Ủy ban nhân dân xã Yên Mỹ", page.QuerySelector("#hien-tai").Text());
        Assert.Equal("Chưa đặt mật khẩu", page.QuerySelector("#trang-thai").Text());
        Guid officerId;
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var officer = await users.FindByEmailAsync(email);
            Assert.NotNull(officer);
            officerId = officer.Id;
            Assert.Equal(AccountKind.Officer, officer.Kind);
            Assert.False(officer.TwoFactorEnabled);
            Assert.Null(officer.PasswordHash);
            Assert.Equal([Roles.Leader, Roles.Reception], (await users.GetRolesAsync(officer)).Order());
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.Equal([commune], await db.UserAgencies.Where(a => a.UserId == officer.Id).Select(a => a.AgencyId).ToListAsync(TestContext.Current.CancellationToken));
        }

        string link;
        using (var scope = portal.Services.CreateScope())
        {
            var mail = await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages
                .SingleAsync(m => m.Recipient == email, TestContext.Current.CancellationToken);
            Assert.Equal("dat-mat-khau-can-bo", mail.Purpose);
            Assert.DoesNotContain("Mat-khau", mail.Body, StringComparison.Ordinal);
            link = SetPasswordLink().Match(mail.Body).Groups[1].Value;
            Assert.NotEmpty(link);
        }

        using var officerBrowser = BackOffice.Browser(portal.Factory);
        var setPassword = await officerBrowser.GetPageAsync(link);
        using var weak = await officerBrowser.SubmitAsync(setPassword, "#dat-mat-khau", new Dictionary<string, string> { ["New"] = "ngan", ["Confirm"] = "ngan" });
        Assert.Equal("Mật khẩu cần ít nhất 10 ký tự.", (await Html.ParseAsync(weak)).QuerySelector("#new-error").Text());
        using var set = await officerBrowser.SubmitAsync(setPassword, "#dat-mat-khau", new Dictionary<string, string> { ["New"] = "Mat-khau-can-bo-9", ["Confirm"] = "Mat-khau-can-bo-9" });
        var done = await officerBrowser.FollowAsync(set);
        Assert.Equal("Đã đặt mật khẩu. Mời bạn đăng nhập.", done.QuerySelector(".notice").Text());

        // The link works once.
        var again = await officerBrowser.GetPageAsync(link);
        Assert.Equal(SetPasswordPageModel.BadLink, again.QuerySelector("#loi-duong-dan").Text());
        Assert.Null(again.QuerySelector("#dat-mat-khau"));
        using var replay = await officerBrowser.SubmitAsync(setPassword, "#dat-mat-khau", new Dictionary<string, string> { ["New"] = "Mat-khau-khac-123", ["Confirm"] = "Mat-khau-khac-123" });
        Assert.Equal(SetPasswordPageModel.BadLink, (await Html.ParseAsync(replay)).QuerySelector("#loi-duong-dan").Text());

        using var signedIn = await BackOffice.SignInAsync(officerBrowser, email, "Mat-khau-can-bo-9");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.NotEqual("/dang-nhap", BackOffice.RedirectPath(signedIn));

        var adminId = await UserIdAsync("demo.quantri");
        var events = await AuditAsync(officerId);
        var rolesGiven = Assert.Single(events, e => e.Kind == AuditKind.RolesChanged);
        Assert.Equal(adminId, rolesGiven.ActorId);
        Assert.Contains("Vai trò: Cán bộ tiếp nhận, Lãnh đạo; Cơ quan: Ủy ban nhân dân xã Yên Mỹ", rolesGiven.Detail, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Kind == AuditKind.PasswordChanged && e.ActorId == null);
    }

    [Fact]
    public async Task A_bad_set_password_link_is_refused_in_vietnamese()
    {
        var (a, _) = await BackOffice.CommunesAsync(portal.Services);
        var (id, _, _) = await BackOffice.CreateOfficerAsync(portal.Services, a, Roles.Reception);
        using var browser = BackOffice.Browser(portal.Factory);

        var page = await browser.GetPageAsync($"/dat-mat-khau?id={id}&token=khong-dung");

        Assert.Equal(SetPasswordPageModel.BadLink, page.QuerySelector("#loi-duong-dan").Text());
        Assert.Null(page.QuerySelector("#dat-mat-khau"));
    }

    [Fact]
    public async Task A_form_with_mistakes_says_what_to_fix_and_keeps_what_was_typed()
    {
        _ = portal.Services;
        using var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantridonvi");
        var form = await admin.GetPageAsync("/quan-tri/can-bo/them");

        using var response = await admin.SubmitAsync(form, "#them-can-bo", new Dictionary<string, string>
        {
            ["FullName"] = "Lý Văn Khoa",
            ["Email"] = "demo.tiepnhan@namha.gov.vn",
            ["Phone"] = "12345",
        });
        var page = await Html.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = page.QuerySelectorAll(".error-summary li").Select(li => li.Text()).ToList();
        Assert.Contains("Email này đã dùng cho một tài khoản khác. Hãy dùng email khác, hoặc tìm tài khoản đó trong danh sách cán bộ.", messages);
        Assert.Contains("Nhập số điện thoại di động gồm 10 chữ số, ví dụ 0912 345 678", messages);
        Assert.Contains("Chọn ít nhất một vai trò", messages);
        Assert.Contains("Chọn ít nhất một cơ quan, đơn vị cán bộ làm việc", messages);
        Assert.Equal("Lý Văn Khoa", page.QuerySelector("#ho-ten")?.GetAttribute("value"));
        Assert.Contains("#co-quan", page.QuerySelectorAll(".error-summary a").Select(l => l.GetAttribute("href")));
    }

    [Fact]
    public async Task An_agency_admin_creates_an_officer_in_their_commune_and_finds_them_in_the_list()
    {
        var (a, _) = await BackOffice.CommunesAsync(portal.Services);
        var email = $"xa.{Guid.NewGuid():N}@namha.gov.vn";
        using var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantridonvi");

        var form = await admin.GetPageAsync("/quan-tri/can-bo/them");
        using var created = await admin.SubmitAsync(form, "#them-can-bo", new Dictionary<string, string>
        {
            ["FullName"] = "Trịnh Văn Lộc",
            ["Email"] = email,
            ["AgencyIds[0]"] = Id(a),
            ["RoleNames[0]"] = Roles.Specialist,
        });
        Assert.StartsWith("/quan-tri/can-bo/", BackOffice.RedirectPath(created), StringComparison.Ordinal);

        var found = await admin.GetPageAsync("/quan-tri/can-bo?q=trinh+van+loc");
        var row = Assert.Single(found.QuerySelectorAll("#danh-sach-can-bo tbody tr"));
        Assert.Equal("Trịnh Văn Lộc", row.QuerySelector("th").Text());
        Assert.Equal("Chuyên viên thụ lý", row.QuerySelector("td[data-label='Vai trò']").Text());
        var none = await admin.GetPageAsync("/quan-tri/can-bo?q=khong-ai-ten-nay");
        Assert.Empty(none.QuerySelectorAll("#danh-sach-can-bo tbody tr"));
    }

    [Fact]
    public async Task Changing_roles_and_agencies_is_audited_and_ends_the_officers_sessions()
    {
        var (a, _) = await BackOffice.CommunesAsync(portal.Services);
        var justice = await BackOffice.AgencyIdAsync(portal.Services, "Sở Tư pháp tỉnh Nam Hà");
        var (id, _, _) = await BackOffice.CreateOfficerAsync(portal.Services, a, Roles.Reception, "Mat-khau-can-bo-1");
        string? stampBefore;
        using (var scope = portal.Services.CreateScope())
        {
            stampBefore = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(id.ToString()))!.SecurityStamp;
        }

        using var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantri");
        var page = await admin.GetPageAsync($"/quan-tri/can-bo/{id}");
        Assert.True(page.QuerySelector($"#co-quan input[value='{a}']")?.HasAttribute("checked"));
        using var saved = await admin.SubmitAsync(page, "#vai-tro-co-quan", new Dictionary<string, string>
        {
            ["AgencyIds[0]"] = Id(a),
            ["AgencyIds[1]"] = Id(justice),
            ["RoleNames[0]"] = Roles.Specialist,
        });
        var after = await admin.FollowAsync(saved);

        Assert.Contains("Đã lưu vai trò và cơ quan", after.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.StartsWith("Vai trò: Chuyên viên thụ lý; Cơ quan: ", after.QuerySelector("#hien-tai").Text(), StringComparison.Ordinal);
        Assert.Contains("Sở Tư pháp tỉnh Nam Hà", after.QuerySelector("#hien-tai").Text(), StringComparison.Ordinal);
        Assert.Equal(2, after.QuerySelectorAll("#co-quan input[checked]").Length);
        using var scope2 = portal.Services.CreateScope();
        var users = scope2.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var officer = (await users.FindByIdAsync(id.ToString()))!;
        Assert.Equal([Roles.Specialist], await users.GetRolesAsync(officer));
        Assert.NotEqual(stampBefore, officer.SecurityStamp);
        var change = Assert.Single(await AuditAsync(id), e => e.Kind == AuditKind.RolesChanged);
        Assert.Contains("Vai trò: Chuyên viên thụ lý; Cơ quan: ", change.Detail, StringComparison.Ordinal);
        Assert.Contains("Sở Tư pháp tỉnh Nam Hà", change.Detail, StringComparison.Ordinal);
        Assert.Equal(await UserIdAsync("demo.quantri"), change.ActorId);
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_session_and_its_api_tokens_and_blocks_sign_in_and_enabling_restores_it()
    {
        _ = portal.Services;
        // Sessions are checked against the account at every request here, not once a minute.
        await using var portalNow = portal.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero)));
        var (a, _) = await BackOffice.CommunesAsync(portal.Services);
        var (id, email, name) = await BackOffice.CreateOfficerAsync(portal.Services, a, Roles.Leader, "Mat-khau-can-bo-1", twoFactor: true);
        using var officer = await BackOffice.SignedInAsync(portalNow, email, "Mat-khau-can-bo-1");
        await officer.GetPageAsync("/can-bo");
        // Still an officer with two factors after the session was checked again.
        await officer.GetPageAsync("/can-bo");
        // The officer also holds an API token (an hour long).
        using var api = portalNow.CreateClient();
        using var issued = await api.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative), new { userName = email, password = "Mat-khau-can-bo-1", otp = await Totp.UnusedCodeAsync(portalNow, email) });
        var token = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        async Task<HttpStatusCode> MeAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/me", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await api.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await MeAsync());

        using var admin = await BackOffice.SignedInAsync(portalNow, "demo.quantridonvi");
        var page = await admin.GetPageAsync($"/quan-tri/can-bo/{id}");
        using var disabled = await admin.SubmitAsync(page, "#khoa", new Dictionary<string, string>());
        var afterDisable = await admin.FollowAsync(disabled);
        Assert.Contains($"Đã khóa tài khoản của {name}", afterDisable.QuerySelector(".notice").Text(), StringComparison.Ordinal);
        Assert.Equal("Đã khóa", afterDisable.QuerySelector("#trang-thai").Text());

        using var ended = await officer.GetAsync(new Uri("/can-bo", UriKind.Relative));
        Assert.Equal("/dang-nhap", BackOffice.RedirectPath(ended));
        // The token ends with the session, not at the end of its hour.
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync());
        using var stranger = BackOffice.Browser(portalNow);
        using var refused = await BackOffice.SignInAsync(stranger, email, "Mat-khau-can-bo-1");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotNull((await Html.ParseAsync(refused)).QuerySelector(".error-summary"));

        using var enabled = await admin.SubmitAsync(afterDisable, "#mo-khoa", new Dictionary<string, string>());
        var afterEnable = await admin.FollowAsync(enabled);
        Assert.Equal("Đang hoạt động", afterEnable.QuerySelector("#trang-thai").Text());
        using var again = await BackOffice.SignedInAsync(portalNow, email, "Mat-khau-can-bo-1");
        await again.GetPageAsync("/can-bo");

        var adminId = await UserIdAsync("demo.quantridonvi");
        var events = (await AuditAsync(id)).Where(e => e.Kind is AuditKind.AccountDisabled or AuditKind.AccountEnabled).ToList();
        Assert.Equal([AuditKind.AccountDisabled, AuditKind.AccountEnabled], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(adminId, e.ActorId));
    }

    [Fact]
    public async Task An_admin_cannot_disable_themself()
    {
        var adminId = await UserIdAsync("demo.quantri");
        using var admin = await BackOffice.SignedInAsync(portal.Factory, "demo.quantri");

        var own = await admin.GetPageAsync($"/quan-tri/can-bo/{adminId}");
        Assert.Null(own.QuerySelector("#khoa"));
        Assert.Contains("Đây là tài khoản của bạn", own.QuerySelector("main .notice").Text(), StringComparison.Ordinal);
        var withToken = await admin.GetPageAsync("/quan-tri/can-bo/them");
        using var forged = await BackOffice.ForgeAsync(admin, withToken, $"/quan-tri/can-bo/{adminId}?handler=Disable", []);

        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Equal("Bạn không thể tự khóa tài khoản của chính mình.", (await Html.ParseAsync(forged)).QuerySelector(".error-summary li").Text());
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(adminId.ToString()))!));
        await admin.GetPageAsync("/quan-tri");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class OfficerAdminTestsOnSqlite(SqlitePortal portal) : OfficerAdminTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class OfficerAdminTestsOnPostgreSql(PostgresPortal portal) : OfficerAdminTests(portal);
