using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

/// <summary>
/// Steps several journeys take the same way (a browser context, an officer signing in with the authenticator code,
/// the officer's inbox and actions, a sample file), kept in one place so each journey reads as its story.
/// </summary>
internal static partial class Journey
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    public static readonly ViewportSize Phone = new() { Width = 375, Height = 812 };

    [GeneratedRegex(@"\b\d{6}\b")]
    public static partial Regex SixDigits();

    /// <summary>A minimal valid PDF as a real file on disk, for the file chooser.</summary>
    public static string SampleFile(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "dvc-journey-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"));
        return path;
    }

    public static async Task<IPage> PageAsync(BrowserFixture fixture, ViewportSize? viewport = null, bool javaScript = true)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            Locale = "vi-VN",
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
            JavaScriptEnabled = javaScript,
        });
        return await context.NewPageAsync();
    }

    /// <summary>The password of the citizens the journeys make.</summary>
    public const string CitizenPassword = "Cong-dan-mat-khau-2026";

    /// <summary>A new citizen account with a verified e-mail and phone, made directly in the database (registering through the pages is the whole-portal journey's).</summary>
    public static async Task<AppUser> NewCitizenAsync(BrowserFixture fixture, string fullName, DateOnly? birthDate = null, string address = "Thôn Đông, xã Yên Lạc, tỉnh Nam Hà")
    {
        var n = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var user = new AppUser
        {
            UserName = "001095" + n, CitizenId = "001095" + n, FullName = fullName, Kind = AccountKind.Citizen, BirthDate = birthDate ?? new DateOnly(1995, 2, 3), Sex = Sex.Male,
            Email = $"cd{n}@example.vn", EmailConfirmed = true, PhoneNumber = "097" + n + "3", PhoneNumberConfirmed = true,
            Address = address, CreatedAt = DateTime.UtcNow,
        };
        using var scope = fixture.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True((await users.CreateAsync(user, CitizenPassword)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Citizen)).Succeeded);
        return user;
    }

    /// <summary>A page signed in as a citizen, with the CCCD (or other login) and <see cref="CitizenPassword"/>.</summary>
    public static async Task<IPage> CitizenAsync(BrowserFixture fixture, string login, ViewportSize? viewport = null, bool javaScript = true)
    {
        var page = await PageAsync(fixture, viewport, javaScript);
        await page.GotoAsync("/dang-nhap");
        await page.GetByLabel("Tên đăng nhập, số CCCD, email hoặc số điện thoại").FillAsync(login);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenPassword);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Đăng nhập", Exact = true }).ClickAsync();
        await page.Locator(".account .user-name").WaitForAsync();
        return page;
    }

    /// <summary>A demo officer or administrator signed in with the password and a fresh authenticator code.</summary>
    public static async Task<IPage> OfficerAsync(BrowserFixture fixture, string userName, ViewportSize? viewport = null)
    {
        var page = await PageAsync(fixture, viewport);
        await page.GotoAsync("/dang-nhap");
        await page.GetByLabel("Tên đăng nhập, số CCCD, email hoặc số điện thoại").FillAsync(userName);
        await page.GetByLabel("Mật khẩu").FillAsync(PortalFactory.DemoPassword);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Đăng nhập", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/dang-nhap/xac-thuc**");
        await page.GetByLabel("Mã xác thực").FillAsync(await Totp.UnusedCodeAsync(fixture, userName));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác nhận" }).ClickAsync();
        await page.Locator(".account .user-name").WaitForAsync();
        return page;
    }

    /// <summary>The commune the demo officers (demo.tiepnhan, demo.chuyenvien, demo.lanhdao) work at.</summary>
    public static async Task<string> DemoCommuneAsync(BrowserFixture fixture)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Users.Where(u => u.UserName == "demo.tiepnhan").SelectMany(u => u.Agencies)
            .Join(db.Agencies.Where(a => a.Level == AgencyLevel.Commune), ua => ua.AgencyId, a => a.Id, (_, a) => a.Name).SingleAsync();
    }

    public static ILocator Text(IPage page, string label) => page.GetByRole(AriaRole.Textbox, new() { Name = label, Exact = true });

    public static ILocator Choice(IPage page, string group, string option) =>
        page.GetByRole(AriaRole.Group, new() { Name = group, Exact = true }).GetByRole(AriaRole.Radio, new() { Name = option, Exact = true });

    /// <summary>
    /// The birth registration e-form (1.001193) of a child born five days ago, declared by the father living in the
    /// demo commune, with no extra copies: on time and online, so free of fee.
    /// </summary>
    public static async Task FillBirthRegistrationAsync(IPage page, string father, string cccd, string child, string sex, string fatherBirthDate)
    {
        const string home = "Thôn Đông, xã Yên Lạc, tỉnh Nam Hà";
        await Text(page, "Họ, chữ đệm, tên người yêu cầu").FillAsync(father);
        await Text(page, "Số định danh cá nhân (số CCCD) của người yêu cầu").FillAsync(cccd);
        await Text(page, "Nơi cư trú của người yêu cầu").FillAsync(home);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Quan hệ với người được khai sinh" }).SelectOptionAsync(new SelectOptionValue { Label = "Cha" });
        await Text(page, "Họ, chữ đệm, tên").FillAsync(child);
        await Text(page, "Ngày, tháng, năm sinh").FillAsync(DateTime.Today.AddDays(-5).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await Choice(page, "Giới tính", sex).CheckAsync();
        await Text(page, "Dân tộc").FillAsync("Kinh");
        await Text(page, "Quốc tịch").FillAsync("Việt Nam");
        await Text(page, "Nơi sinh").FillAsync("Trạm y tế xã Yên Lạc");
        await Text(page, "Quê quán").FillAsync("Nam Hà");
        await Text(page, "Họ, chữ đệm, tên người mẹ").FillAsync("Đinh Thị Hoa");
        await Text(page, "Ngày, tháng, năm sinh của người mẹ").FillAsync("12/08/1992");
        await Text(page, "Dân tộc của người mẹ").FillAsync("Kinh");
        await Text(page, "Quốc tịch của người mẹ").FillAsync("Việt Nam");
        await Text(page, "Nơi cư trú của người mẹ").FillAsync(home);
        await Choice(page, "Khai thông tin người cha", "Có, khai thông tin người cha").CheckAsync();
        await Text(page, "Họ, chữ đệm, tên người cha").FillAsync(father);
        await Text(page, "Ngày, tháng, năm sinh của người cha").FillAsync(fatherBirthDate);
        await Text(page, "Dân tộc của người cha").FillAsync("Kinh");
        await Text(page, "Quốc tịch của người cha").FillAsync("Việt Nam");
        await Text(page, "Nơi cư trú của người cha").FillAsync(home);
        await Choice(page, "Đề nghị cấp bản sao Giấy khai sinh", "Không").CheckAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Cam đoan" }).GetByRole(AriaRole.Checkbox).CheckAsync();
    }

    /// <summary>
    /// On the wizard's files step: one sample PDF into each required component, or, when the e-form covers every
    /// required one, into the component named <paramref name="otherwise"/>; waits until the page lists it. Works with
    /// and without JavaScript.
    /// </summary>
    public static async Task UploadRequiredAsync(IPage page, string? otherwise = null)
    {
        var ids = await page.Locator("section.component").EvaluateAllAsync<string[]>("s => s.filter(e => e.querySelector('h2 .required')).map(e => e.id)");
        if (ids.Length == 0 && otherwise is not null)
        {
            ids = [await page.Locator("section.component").Filter(new() { Has = page.Locator("h2", new() { HasText = otherwise }) }).GetAttributeAsync("id") ?? ""];
        }

        foreach (var id in ids)
        {
            var section = page.Locator("#" + id);
            await section.Locator("input[type=file]").SetInputFilesAsync(SampleFile(id + ".pdf"));
            await section.GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).ClickAsync();
            await page.Locator("#" + id + " .file-list li").Filter(new() { HasText = id + ".pdf" }).WaitForAsync();
        }
    }

    /// <summary>The officer finds the dossier in a view of the inbox by its code and opens it.</summary>
    public static async Task OpenFromInboxAsync(IPage officer, string view, string code, string? screenshot = null)
    {
        await officer.GotoAsync("/can-bo");
        await officer.Locator($"#nhom-ho-so a[data-view={view}]").ClickAsync();
        await officer.GetByLabel("Tìm theo mã hồ sơ, tên người nộp hoặc số CCCD").FillAsync(code);
        await officer.GetByRole(AriaRole.Button, new() { Name = "Lọc", Exact = true }).ClickAsync();
        var link = officer.Locator("#ho-so").GetByRole(AriaRole.Link, new() { Name = code, Exact = true });
        await link.WaitForAsync();
        if (screenshot is not null)
        {
            await ScreenshotAsync(officer, screenshot);
        }

        await link.ClickAsync();
        await officer.GetByRole(AriaRole.Heading, new() { Name = "Hồ sơ " + code }).WaitForAsync();
    }

    /// <summary>Posts one of the officer's action forms on the dossier page and waits for the portal to confirm it.</summary>
    public static async Task ActAsync(IPage officer, string action, string? note = null, string? file = null)
    {
        var form = officer.Locator("#form-" + action);
        if (note is not null)
        {
            await form.Locator("textarea[name=Note]").FillAsync(note);
        }

        if (file is not null)
        {
            await form.Locator("input[type=file]").SetInputFilesAsync(file);
        }

        await form.Locator("button[type=submit]").ClickAsync();
        await officer.Locator(".notice").Filter(new() { HasText = "Đã thực hiện" }).WaitForAsync();
    }

    /// <summary>A screenshot into the test output folder; <paramref name="fullPage"/> false keeps it to the viewport (small files).</summary>
    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = false) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, name), FullPage = fullPage });
}
