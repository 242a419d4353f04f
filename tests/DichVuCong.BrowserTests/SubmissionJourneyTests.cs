using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DichVuCong.BrowserTests;

/// <summary>A verified citizen sends a dossier from the procedure page to "Hồ sơ của tôi", uploading real files, in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SubmissionJourneyTests(BrowserFixture fixture)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [GeneratedRegex(@"-\d{6}-\d{4}$")]
    private static partial Regex DossierCode();

    private static string Day(DateTime day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>A minimal valid PDF and a minimal JPEG, as real files on disk for the file chooser.</summary>
    private static string SampleFile(string name)
    {
        byte[] bytes = Path.GetExtension(name) switch
        {
            ".pdf" => Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
            ".jpg" => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "dvc-journey-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A citizen whose email and phone are verified; returns the CCCD to sign in with.</summary>
    private async Task<string> NewCitizenAsync(string fullName) =>
        (await Journey.NewCitizenAsync(fixture, fullName, new DateOnly(1995, 6, 15), "Số 5 Lê Lợi, phường Hoàn Kiếm, Hà Nội")).CitizenId!;

    private Task<IPage> SignedInPageAsync(string cccd, ViewportSize? viewport = null, bool javaScript = true) => Journey.CitizenAsync(fixture, cccd, viewport, javaScript);

    /// <summary>From the procedure page to the applicant step, filled from the account.</summary>
    private static async Task StartAndFillApplicantAsync(IPage page, string procedureCode, string fullName)
    {
        await page.GotoAsync("/thu-tuc/" + procedureCode);
        await page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Nộp hồ sơ trực tuyến", Exact = true }).ClickAsync();
        var agencies = page.GetByRole(AriaRole.Group, new() { Name = "Cơ quan tiếp nhận hồ sơ" }).GetByRole(AriaRole.Radio);
        if (await agencies.CountAsync() > 0)
        {
            await agencies.First.CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Bắt đầu nộp hồ sơ" }).ClickAsync();
        await page.WaitForURLAsync("**/nguoi-nop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Điền từ tài khoản" }).ClickAsync();
        await page.GetByText("Đã điền thông tin từ tài khoản của bạn.").WaitForAsync();
        Assert.Equal(fullName, await page.GetByRole(AriaRole.Textbox, new() { Name = "Họ và tên", Exact = true }).InputValueAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        await page.WaitForURLAsync("**/to-khai");
    }

    private static ILocator Text(IPage page, string label) => page.GetByRole(AriaRole.Textbox, new() { Name = label, Exact = true });

    private static ILocator Choice(IPage page, string group, string option) =>
        page.GetByRole(AriaRole.Group, new() { Name = group, Exact = true }).GetByRole(AriaRole.Radio, new() { Name = option, Exact = true });

    /// <summary>Uploads one file into each required component, in order, and waits until the list on the page shows it.</summary>
    private static async Task UploadRequiredAsync(IPage page, params string[] files)
    {
        var ids = await page.Locator("section.component").EvaluateAllAsync<string[]>("s => s.filter(e => e.querySelector('h2 .required')).map(e => e.id)");
        Assert.True(files.Length == ids.Length, string.Join(" | ", await page.Locator("section.component h2").AllInnerTextsAsync()));
        for (var i = 0; i < ids.Length; i++)
        {
            var section = page.Locator("#" + ids[i]);
            await section.Locator("input[type=file]").SetInputFilesAsync(files[i]);
            await section.GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).ClickAsync();
            await page.Locator("#" + ids[i] + " .file-list li").Filter(new() { HasText = Path.GetFileName(files[i]) }).WaitForAsync();
        }
    }

    private static async Task SendAndCheckAsync(IPage page, string shownOnReview, string screenshot)
    {
        await page.WaitForURLAsync("**/kiem-tra");
        await page.GetByText(shownOnReview, new() { Exact = true }).First.WaitForAsync();
        Assert.Equal(0, await page.Locator(".error-summary").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi đi" }).ClickAsync();

        await page.GetByRole(AriaRole.Heading, new() { Name = "Đã nộp hồ sơ" }).WaitForAsync();
        var code = (await page.Locator("#ma-ho-so").InnerTextAsync()).Trim();
        Assert.Matches(DossierCode(), code);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, screenshot), FullPage = true });

        await page.GetByRole(AriaRole.Link, new() { Name = "Hồ sơ của tôi" }).First.ClickAsync();
        await page.WaitForURLAsync("**/ho-so-cua-toi");
        await page.Locator("main table").GetByRole(AriaRole.Link, new() { Name = code, Exact = true }).WaitForAsync();
    }

    [Fact]
    public async Task A_citizen_on_a_phone_registers_a_birth_online_with_a_real_upload()
    {
        fixture.RequireBrowser();
        const string fullName = "Nguyễn Văn An";
        var cccd = await NewCitizenAsync(fullName);
        var page = await SignedInPageAsync(cccd, Phone);
        var xhr = new List<string>();
        page.Request += (_, r) => { if (r.ResourceType == "xhr" && r.Method == "POST") { xhr.Add(r.Url); } };

        await StartAndFillApplicantAsync(page, "1.001193", fullName);

        var today = DateTime.Today;
        await Text(page, "Họ, chữ đệm, tên người yêu cầu").FillAsync(fullName);
        await Text(page, "Số định danh cá nhân (số CCCD) của người yêu cầu").FillAsync(cccd);
        await Text(page, "Nơi cư trú của người yêu cầu").FillAsync("Số 5 Lê Lợi, phường Hoàn Kiếm, Hà Nội");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Quan hệ với người được khai sinh" }).SelectOptionAsync(new SelectOptionValue { Label = "Cha" });
        await Text(page, "Họ, chữ đệm, tên").FillAsync("Nguyễn Minh Khôi");
        // The mistake: a birth date in the future.
        await Text(page, "Ngày, tháng, năm sinh").FillAsync(Day(today.AddYears(1)));
        await Choice(page, "Giới tính", "Nam").CheckAsync();
        await Text(page, "Dân tộc").FillAsync("Kinh");
        await Text(page, "Quốc tịch").FillAsync("Việt Nam");
        await Text(page, "Nơi sinh").FillAsync("Bệnh viện Phụ sản Hà Nội");
        await Text(page, "Quê quán").FillAsync("Nam Định");
        await Text(page, "Họ, chữ đệm, tên người mẹ").FillAsync("Trần Thị Bình");
        await Text(page, "Ngày, tháng, năm sinh của người mẹ").FillAsync("03/04/1995");
        await Text(page, "Dân tộc của người mẹ").FillAsync("Kinh");
        await Text(page, "Quốc tịch của người mẹ").FillAsync("Việt Nam");
        await Text(page, "Nơi cư trú của người mẹ").FillAsync("Số 5 Lê Lợi, phường Hoàn Kiếm, Hà Nội");
        await Choice(page, "Khai thông tin người cha", "Có, khai thông tin người cha").CheckAsync();
        await Text(page, "Họ, chữ đệm, tên người cha").FillAsync(fullName);
        await Text(page, "Ngày, tháng, năm sinh của người cha").FillAsync("15/06/1995");
        await Text(page, "Dân tộc của người cha").FillAsync("Kinh");
        await Text(page, "Quốc tịch của người cha").FillAsync("Việt Nam");
        await Text(page, "Nơi cư trú của người cha").FillAsync("Số 5 Lê Lợi, phường Hoàn Kiếm, Hà Nội");
        await Choice(page, "Đề nghị cấp bản sao Giấy khai sinh", "Có").CheckAsync();
        await Text(page, "Số bản sao").FillAsync("2");
        await page.GetByRole(AriaRole.Group, new() { Name = "Cam đoan" }).GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();

        await page.Locator(".error-summary").WaitForAsync();
        Assert.Contains("Ngày, tháng, năm sinh không được sau ngày hôm nay.", await page.Locator(".error-summary").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator(".field-error").Filter(new() { HasText = "không được sau ngày hôm nay" }).CountAsync());
        Assert.Equal("Nguyễn Minh Khôi", await Text(page, "Họ, chữ đệm, tên").InputValueAsync());
        Assert.Equal("Trần Thị Bình", await Text(page, "Họ, chữ đệm, tên người mẹ").InputValueAsync());
        Assert.True(await Choice(page, "Giới tính", "Nam").IsCheckedAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "birth-eform-error-phone.png"), FullPage = true });

        await Text(page, "Ngày, tháng, năm sinh").FillAsync(Day(today.AddDays(-10)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();

        await page.WaitForURLAsync("**/giay-to");
        await UploadRequiredAsync(page, SampleFile("giay-chung-sinh.pdf"));
        Assert.NotEmpty(xhr);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();

        await page.WaitForURLAsync("**/nhan-ket-qua");
        await Choice(page, "Bạn muốn nhận kết quả bằng cách nào?", "Nhận trực tuyến (bản điện tử trong tài khoản)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();

        await SendAndCheckAsync(page, "Nguyễn Minh Khôi", "birth-submitted-phone.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_citizen_applies_for_a_house_building_permit_with_a_photo_and_a_pdf_and_delivery_by_post()
    {
        fixture.RequireBrowser();
        const string fullName = "Hoàng Văn Sơn";
        var cccd = await NewCitizenAsync(fullName);
        var page = await SignedInPageAsync(cccd);

        await StartAndFillApplicantAsync(page, "1.013225", fullName);

        await Choice(page, "Chủ đầu tư là", "Cá nhân, hộ gia đình").CheckAsync();
        await Text(page, "Tên chủ đầu tư (chủ hộ)").FillAsync(fullName);
        await Text(page, "Số định danh cá nhân (số CCCD) của chủ đầu tư").FillAsync(cccd);
        await Text(page, "Địa chỉ liên hệ").FillAsync("Số 12 ngõ 5 phố Kim Mã, phường Giảng Võ, Hà Nội");
        await Text(page, "Số điện thoại").FillAsync("0912 345 678");
        await Text(page, "Lô đất số").FillAsync("Thửa 25, tờ bản đồ 7");
        await Text(page, "Diện tích lô đất (m²)").FillAsync("85,5");
        await Text(page, "Địa điểm xây dựng").FillAsync("Số 12 ngõ 5 phố Kim Mã, phường Giảng Võ, Hà Nội");
        await Text(page, "Giấy tờ về quyền sử dụng đất (loại, số, ngày cấp)").FillAsync("Giấy chứng nhận số CS 123456 cấp ngày 10/3/2020");
        await Choice(page, "Thiết kế do", "Tổ chức, cá nhân có năng lực thiết kế").CheckAsync();
        await Text(page, "Tên đơn vị thiết kế").FillAsync("Công ty TNHH Kiến trúc Việt");
        await Text(page, "Mã số chứng chỉ năng lực hoặc chứng chỉ hành nghề").FillAsync("HAN-00012345");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Cấp công trình" }).SelectOptionAsync(new SelectOptionValue { Label = "Cấp III" });
        await Text(page, "Diện tích xây dựng tầng 1 (tầng trệt) (m²)").FillAsync("70");
        await Text(page, "Tổng diện tích sàn (m²)").FillAsync("280");
        // The mistake: a height that is not a number.
        await Text(page, "Chiều cao công trình (m)").FillAsync("cao");
        await Text(page, "Số tầng trên mặt đất").FillAsync("4");
        await Choice(page, "Có tầng hầm", "Không").CheckAsync();
        await Text(page, "Thời gian hoàn thành (tháng)").FillAsync("10");
        await page.GetByRole(AriaRole.Group, new() { Name = "6. Cam kết" }).GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();

        await page.Locator(".error-summary").WaitForAsync();
        Assert.Contains("Chiều cao công trình", await page.Locator(".error-summary").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Công ty TNHH Kiến trúc Việt", await Text(page, "Tên đơn vị thiết kế").InputValueAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "building-eform-error.png"), FullPage = true });

        await Text(page, "Chiều cao công trình (m)").FillAsync("15,6");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();

        await page.WaitForURLAsync("**/giay-to");
        await UploadRequiredAsync(page, SampleFile("so-do.jpg"), SampleFile("ban-ve-thiet-ke.pdf"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();

        await page.WaitForURLAsync("**/nhan-ket-qua");
        await Choice(page, "Bạn muốn nhận kết quả bằng cách nào?", "Nhận qua dịch vụ bưu chính công ích").CheckAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Địa chỉ nhận kết quả qua bưu chính" }).FillAsync("Số 12 ngõ 5 phố Kim Mã, phường Giảng Võ, Hà Nội");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();

        await SendAndCheckAsync(page, "Tên chủ đầu tư (chủ hộ)", "building-submitted.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Without_javascript_a_file_still_uploads_by_the_plain_form_post()
    {
        fixture.RequireBrowser();
        const string fullName = "Lê Thị Thu";
        var cccd = await NewCitizenAsync(fullName);
        var page = await SignedInPageAsync(cccd, javaScript: false);
        var xhr = 0;
        page.Request += (_, r) => { if (r.ResourceType is "xhr" or "fetch") { xhr++; } };

        await StartAndFillApplicantAsync(page, "1.001193", fullName);
        var files = page.Url.Replace("/to-khai", "/giay-to", StringComparison.Ordinal);
        await page.GotoAsync(files);

        await UploadRequiredAsync(page, SampleFile("giay-chung-sinh-khong-js.pdf"));
        Assert.Equal(0, xhr);
        Assert.EndsWith("/giay-to", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
