using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static DichVuCong.BrowserTests.Journey;

namespace DichVuCong.BrowserTests;

/// <summary>
/// The whole portal in real Chromium, in the order a newcomer meets it (issue 8): a citizen registers (the codes read
/// by an administrator on the sent-messages page, as on a portal without SMTP or SMS gateway), signs in, finds a
/// procedure by search, submits with a file, follows it in "Hồ sơ của tôi"; the desk receives it (Mẫu 01), the
/// specialist asks for a supplement, the citizen sends it, the leader approves; a fee is paid at the sandbox gateway;
/// the result is handed back online and downloaded; the public lookup and the SMS lookup show the final state.
/// Once on a desktop, once on a phone without JavaScript for the citizen. The screenshots are those of docs/walkthrough.md.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WholePortalJourneyTests(BrowserFixture fixture)
{
    private const string Home = "Thôn Đông, xã Yên Lạc, tỉnh Nam Hà";

    /// <summary>The e-form replaces the only required paper of 2.000635; the citizen still adds a scan of their ID.</summary>
    private const string IdentityPapers = "Giấy tờ tùy thân của người yêu cầu";

    /// <summary>A new person: a CCCD whose digits agree with the sex and birth year (036 Nam Định, 0 man / 1 woman born 19xx, 92), unique e-mail and phone.</summary>
    private sealed record Person(string FullName, string Sex, string BirthDate, string Cccd, string Email, string Phone)
    {
        public static Person New(string fullName, string sex)
        {
            var n = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
            return new(fullName, sex, "12/03/1992", (sex == "Nam" ? "036092" : "036192") + n, $"toan-trinh{n}@example.vn", "098" + n + "7");
        }
    }

    /// <summary>The officers of the demo commune and the administrator, each in a desktop browser of their own.</summary>
    private sealed record Staff(IPage Admin, IPage Reception, IPage Specialist, IPage Leader) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var page in new[] { Admin, Reception, Specialist, Leader })
            {
                await page.Context.CloseAsync();
            }
        }
    }

    private async Task<Staff> StaffAsync() => new(
        await OfficerAsync(fixture, "demo.quantri", Desktop),
        await OfficerAsync(fixture, "demo.tiepnhan", Desktop),
        await OfficerAsync(fixture, "demo.chuyenvien", Desktop),
        await OfficerAsync(fixture, "demo.lanhdao", Desktop));

    /// <summary>The newest code sent to a recipient, as the administrator reads it on "Thư và tin nhắn đã gửi".</summary>
    private static async Task<string> SentCodeAsync(IPage admin, string recipient, string? screenshot = null)
    {
        await admin.GotoAsync("/quan-tri/thu-da-gui");
        await admin.GetByLabel("E-mail hoặc số điện thoại người nhận").FillAsync(recipient);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Lọc", Exact = true }).ClickAsync();
        var body = await admin.Locator("table tbody tr").First.Locator("td[data-label='Nội dung']").InnerTextAsync();
        if (screenshot is not null)
        {
            await ShotAsync(admin, screenshot);
        }

        var code = SixDigits().Match(body).Value;
        Assert.True(code.Length == 6, body);
        return code;
    }

    /// <summary>From the home page through /dang-ky/cong-dan and both codes to a verified account, signed in.</summary>
    private static async Task RegisterAsync(IPage page, IPage admin, Person person, string prefix)
    {
        await page.GotoAsync("/");
        Assert.Equal("Tìm thủ tục hành chính", await page.Locator("h1").InnerTextAsync());
        await ShotAsync(page, prefix + "01-trang-chu.png");
        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng ký", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Công dân", Exact = true }).ClickAsync();
        await Text(page, "Họ và tên").FillAsync(person.FullName);
        await Text(page, "Ngày sinh").FillAsync(person.BirthDate);
        await page.GetByRole(AriaRole.Radio, new() { Name = person.Sex, Exact = true }).CheckAsync();
        await Text(page, "Số CCCD (số định danh cá nhân)").FillAsync(person.Cccd);
        await Text(page, "Email").FillAsync(person.Email);
        await Text(page, "Số điện thoại di động").FillAsync(person.Phone);
        await Text(page, "Địa chỉ liên hệ").FillAsync(Home);
        await page.Locator("#mat-khau").FillAsync(CitizenPassword);
        await page.Locator("#nhap-lai").FillAsync(CitizenPassword);
        await page.GetByRole(AriaRole.Checkbox).CheckAsync();
        await ShotAsync(page, prefix + "02-dang-ky.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký", Exact = true }).ClickAsync();

        await page.WaitForURLAsync("**/tai-khoan/xac-minh");
        await page.GetByLabel("Mã xác minh nhận qua email").FillAsync(await SentCodeAsync(admin, person.Email, prefix + "03-thu-da-gui.png"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác minh email" }).ClickAsync();
        await page.GetByText("Đã xác minh email.").WaitForAsync();
        await page.GetByLabel("Mã xác minh nhận qua tin nhắn SMS").FillAsync(await SentCodeAsync(admin, person.Phone));
        await page.GetByRole(AriaRole.Button, new() { Name = "Xác minh số điện thoại" }).ClickAsync();
        await page.GetByText("Tài khoản của bạn đã sẵn sàng để nộp hồ sơ trực tuyến.").WaitForAsync();
        Assert.Equal(person.FullName, await page.Locator(".account .user-name").InnerTextAsync());
        await ShotAsync(page, prefix + "04-xac-minh.png");
    }

    /// <summary>Signs out, then in again from the header's link with the CCCD and the password.</summary>
    private static async Task SignOutAndInAsync(IPage page, Person person, string prefix)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng nhập", Exact = true }).ClickAsync();
        await page.GetByLabel("Tên đăng nhập, số CCCD, email hoặc số điện thoại").FillAsync(person.Cccd);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenPassword);
        await ShotAsync(page, prefix + "05-dang-nhap.png");
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Đăng nhập", Exact = true }).ClickAsync();
        Assert.Equal(person.FullName, await page.Locator(".account .user-name").InnerTextAsync());
    }

    /// <summary>Searches the catalog from the home page and opens the procedure found.</summary>
    private static async Task FindAsync(IPage page, string words, string procedure, string prefix)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Nhập tên hoặc mã thủ tục").FillAsync(words);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tìm kiếm" }).ClickAsync();
        var link = page.Locator("main").GetByRole(AriaRole.Link, new() { Name = procedure, Exact = true });
        await link.WaitForAsync();
        await ShotAsync(page, prefix + "06-tim-kiem.png");
        await link.ClickAsync();
        Assert.Equal(procedure, await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Trình tự thực hiện", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await ShotAsync(page, prefix + "07-thu-tuc.png");
    }

    /// <summary>From the procedure page to the e-form: the demo commune receives it, the applicant is filled from the account.</summary>
    private static async Task StartAsync(IPage page, string commune, Person person, string prefix)
    {
        await page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Nộp hồ sơ trực tuyến", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Cơ quan tiếp nhận hồ sơ" }).GetByRole(AriaRole.Radio, new() { Name = commune, Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Bắt đầu nộp hồ sơ" }).ClickAsync();
        await page.WaitForURLAsync("**/nguoi-nop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Điền từ tài khoản" }).ClickAsync();
        await page.GetByText("Đã điền thông tin từ tài khoản của bạn.").WaitForAsync();
        Assert.Equal(person.FullName, await Text(page, "Họ và tên").InputValueAsync());
        Assert.Equal(person.Cccd, await Text(page, "Số CCCD").InputValueAsync());
        await ShotAsync(page, prefix + "08-nguoi-nop.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        await page.WaitForURLAsync("**/to-khai");
    }

    /// <summary>The copy-of-an-extract e-form (2.000635), two copies: 8.000 đ each, paid before the result is handed back.</summary>
    private static async Task FillCopyRequestAsync(IPage page, Person person)
    {
        await Text(page, "Họ, chữ đệm, tên người yêu cầu").FillAsync(person.FullName);
        await Text(page, "Số định danh cá nhân (số CCCD) của người yêu cầu").FillAsync(person.Cccd);
        await Text(page, "Nơi cư trú của người yêu cầu").FillAsync(Home);
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Quan hệ với người được cấp bản sao trích lục" }).SelectOptionAsync(new SelectOptionValue { Label = "Bản thân" });
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Loại việc hộ tịch" }).SelectOptionAsync(new SelectOptionValue { Label = "Khai sinh (bản sao Giấy khai sinh)" });
        await Text(page, "Họ, chữ đệm, tên người được cấp bản sao trích lục").FillAsync(person.FullName);
        await Text(page, "Ngày, tháng, năm sinh").FillAsync(person.BirthDate);
        await Text(page, "Nơi đã đăng ký").FillAsync("UBND xã Yên Lạc");
        await Text(page, "Mục đích sử dụng").FillAsync("Bổ sung hồ sơ nhập học của con");
        await Text(page, "Số bản sao đề nghị cấp").FillAsync("2");
        await page.GetByRole(AriaRole.Group, new() { Name = "Cam đoan" }).GetByRole(AriaRole.Checkbox).CheckAsync();
    }

    /// <summary>After the e-form: a file, the result online, the review, send; checks "Hồ sơ của tôi" and returns the code.</summary>
    private static async Task<string> SubmitAsync(IPage page, string shownOnReview, string prefix, string? upload = null)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ShotAsync(page, prefix + "09-to-khai.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        await page.WaitForURLAsync("**/giay-to");
        await UploadRequiredAsync(page, upload);
        Assert.True(await page.Locator(".file-list li").CountAsync() > 0);
        await ShotAsync(page, prefix + "10-giay-to.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        // Without JavaScript the upload left "#tp-N" in the address; the next step's address must not inherit it.
        await page.WaitForURLAsync("**/nhan-ket-qua");
        await Choice(page, "Bạn muốn nhận kết quả bằng cách nào?", "Nhận trực tuyến (bản điện tử trong tài khoản)").CheckAsync();
        await ShotAsync(page, prefix + "11-nhan-ket-qua.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        await page.WaitForURLAsync("**/kiem-tra");
        await page.GetByText(shownOnReview, new() { Exact = true }).First.WaitForAsync();
        Assert.Equal(0, await page.Locator(".error-summary").CountAsync());
        await ShotAsync(page, prefix + "12-kiem-tra.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi đi" }).ClickAsync();

        await page.GetByRole(AriaRole.Heading, new() { Name = "Đã nộp hồ sơ" }).WaitForAsync();
        var code = (await page.Locator("#ma-ho-so").InnerTextAsync()).Trim();
        Assert.Matches(@"-\d{6}-\d{4}$", code);
        await ShotAsync(page, prefix + "13-da-nop.png");

        await page.GetByRole(AriaRole.Link, new() { Name = "Hồ sơ của tôi" }).First.ClickAsync();
        await page.WaitForURLAsync("**/ho-so-cua-toi");
        var row = page.Locator("main table tbody tr").Filter(new() { HasText = code });
        await Assertions.Expect(row).ToContainTextAsync("Mới nộp, chờ tiếp nhận");
        await ShotAsync(page, prefix + "14-ho-so-cua-toi.png");
        return code;
    }

    /// <summary>The desk receives the dossier; the Mẫu 01 slip it issues is a PDF.</summary>
    private static async Task ReceiveAsync(IPage reception, string code, string? prefix)
    {
        await OpenFromInboxAsync(reception, "moi", code, prefix is null ? null : prefix + "15-ban-lam-viec.png");
        await ActAsync(reception, "receive", "Giấy tờ hợp lệ");
        Assert.Equal("Đã tiếp nhận", (await reception.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.Contains("làm việc", await reception.Locator("#hen-tra").InnerTextAsync(), StringComparison.Ordinal);
        var slip = reception.Locator("#qua-trinh a.slip").Filter(new() { HasText = "Mẫu 01" });
        var response = await reception.Context.APIRequest.GetAsync(await slip.GetAttributeAsync("href") ?? "");
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/pdf", response.Headers["content-type"], StringComparison.Ordinal);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString((await response.BodyAsync())[..4]), StringComparison.Ordinal);
        if (prefix is not null)
        {
            await ShotAsync(reception, prefix + "16-can-bo-ho-so.png");
        }
    }

    /// <summary>The specialist asks for a supplement; the citizen uploads it on the dossier's page and sends it back.</summary>
    private static async Task SupplementAsync(Staff staff, IPage citizen, string code, string prefix)
    {
        await OpenFromInboxAsync(staff.Specialist, "cua-toi", code);
        await staff.Specialist.Locator("#form-request-supplement textarea[name=Missing]").FillAsync("Bản chụp rõ nét giấy tờ đã nộp");
        await ActAsync(staff.Specialist, "request-supplement");
        Assert.Equal("Yêu cầu bổ sung", (await staff.Specialist.Locator("#trang-thai").InnerTextAsync()).Trim());

        await citizen.GotoAsync("/ho-so-cua-toi");
        await citizen.Locator("main table").GetByRole(AriaRole.Link, new() { Name = code, Exact = true }).ClickAsync();
        Assert.Equal("Yêu cầu bổ sung", (await citizen.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.Equal(["Bản chụp rõ nét giấy tờ đã nộp"], await citizen.Locator("#can-bo-sung li").AllInnerTextsAsync());
        await citizen.Locator("#tai-bo-sung input[type=file]").SetInputFilesAsync(SampleFile("ban-chup-ro-net.pdf"));
        await citizen.Locator("#tai-bo-sung").GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).ClickAsync();
        await citizen.Locator("#tep-da-bo-sung").GetByText("ban-chup-ro-net.pdf").WaitForAsync();
        await citizen.Locator("#bo-sung").ScrollIntoViewIfNeededAsync();
        await ShotAsync(citizen, prefix + "17-bo-sung.png");
        await citizen.GetByRole(AriaRole.Button, new() { Name = "Gửi bổ sung" }).ClickAsync();
        await citizen.GetByText("Đã gửi bổ sung.", new() { Exact = false }).WaitForAsync();
        Assert.Equal("Đang xử lý", (await citizen.Locator("#trang-thai").InnerTextAsync()).Trim());
    }

    /// <summary>The specialist forwards (when the dossier waits at their step), the leader approves, the desk attaches the result and announces it.</summary>
    private static async Task ApproveAndAnnounceAsync(Staff staff, string code, string result)
    {
        await OpenFromInboxAsync(staff.Specialist, "cua-toi", code);
        await ActAsync(staff.Specialist, "forward", "Đã kiểm tra, đủ điều kiện");
        await OpenFromInboxAsync(staff.Leader, "cua-toi", code);
        await ActAsync(staff.Leader, "approve", "Đồng ý");
        await OpenFromInboxAsync(staff.Reception, "cua-toi", code);
        await ActAsync(staff.Reception, "attach-result", file: SampleFile(result));
        await ActAsync(staff.Reception, "result-ready");
    }

    /// <summary>The citizen pays the fee at the sandbox VNPay gateway from "Thanh toán trực tuyến".</summary>
    private static async Task PayAsync(IPage citizen, string code, string amount, string prefix)
    {
        await citizen.GotoAsync("/thanh-toan");
        var row = citizen.Locator("#can-thanh-toan tr", new() { HasText = code });
        await Assertions.Expect(row).ToContainTextAsync(amount);
        await ShotAsync(citizen, prefix + "18-thanh-toan.png");
        await row.GetByRole(AriaRole.Button, new() { Name = "Thanh toán hồ sơ " + code }).ClickAsync();

        await Assertions.Expect(citizen.GetByRole(AriaRole.Heading, new() { Name = "Cổng thanh toán thử nghiệm" })).ToBeVisibleAsync();
        await Assertions.Expect(citizen.Locator("#so-tien")).ToHaveTextAsync(amount);
        await citizen.GetByLabel("Vietcombank").CheckAsync();
        await ShotAsync(citizen, prefix + "19-cong-thanh-toan.png");
        await citizen.GetByRole(AriaRole.Button, new() { Name = "Thanh toán thành công" }).ClickAsync();

        await citizen.WaitForURLAsync("**/thanh-toan/ket-qua?**");
        await Assertions.Expect(citizen.Locator("#trang-thai-thanh-toan")).ToHaveTextAsync("Đã thanh toán");
        await ShotAsync(citizen, prefix + "20-ket-qua-thanh-toan.png");
        await citizen.GetByRole(AriaRole.Link, new() { Name = "Xem hồ sơ " + code }).ClickAsync();
        await Assertions.Expect(citizen.Locator("#da-thanh-toan")).ToContainTextAsync("Đã thanh toán lúc");
    }

    /// <summary>The desk hands the result back online; the citizen finds it completed and downloads the electronic result.</summary>
    private static async Task HandBackAndDownloadAsync(IPage reception, IPage citizen, string code, string result, string? prefix)
    {
        await OpenFromInboxAsync(reception, "cua-toi", code);
        await reception.Locator("#tra-truc-tuyen").WaitForAsync();
        await ActAsync(reception, "hand-back");
        Assert.Equal("Đã trả kết quả", (await reception.Locator("#trang-thai").InnerTextAsync()).Trim());

        await citizen.GotoAsync("/ho-so-cua-toi");
        await citizen.Locator("main table").GetByRole(AriaRole.Link, new() { Name = code, Exact = true }).ClickAsync();
        Assert.Equal("Đã trả kết quả", (await citizen.Locator("#trang-thai").InnerTextAsync()).Trim());
        var link = citizen.Locator("#ket-qua").GetByRole(AriaRole.Link, new() { Name = result });
        var response = await citizen.Context.APIRequest.GetAsync(await link.GetAttributeAsync("href") ?? "");
        Assert.Equal(200, response.Status);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString((await response.BodyAsync())[..4]), StringComparison.Ordinal);
        if (prefix is not null)
        {
            await citizen.Locator("#ket-qua").ScrollIntoViewIfNeededAsync();
            await ShotAsync(citizen, prefix + "21-ket-qua.png");
        }
    }

    /// <summary>Anyone with the code reads the final state on /tra-cuu, the applicant's name masked.</summary>
    private static async Task PublicLookupAsync(IPage page, string code, string fullName, string? screenshot)
    {
        await page.GotoAsync("/tra-cuu?ma=" + Uri.EscapeDataString(code));
        Assert.Equal(code, (await page.Locator("#ma-ho-so").InnerTextAsync()).Trim());
        Assert.Equal("Đã trả kết quả", (await page.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.DoesNotContain(fullName, await page.Locator("#nguoi-nop").InnerTextAsync(), StringComparison.Ordinal);
        if (screenshot is not null)
        {
            await ShotAsync(page, screenshot);
        }
    }

    /// <summary>The province's SMS gateway forwards "DVCNAMHA &lt;code&gt;" from the citizen's phone; the reply names the final state.</summary>
    private async Task SmsLookupAsync(string code, string phone)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sms/inbound") { Content = JsonContent.Create(new { from = phone, text = "DVCNAMHA " + code }) };
        request.Headers.Add("X-Api-Key", BrowserFixture.SmsInboundSecret);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        var reply = JsonDocument.Parse(body).RootElement.GetProperty("reply").GetString()!;
        Assert.StartsWith($"DVCNAMHA: Ho so {code}: Da tra ket qua ngay ", reply, StringComparison.Ordinal);
        Assert.True(reply.Length <= 160, reply);
    }

    /// <summary>A viewport screenshot; on the phone, first checks that the page is no wider than the screen.</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        if (page.ViewportSize?.Width == Phone.Width)
        {
            Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), page.Url + " is wider than the phone");
        }

        await ScreenshotAsync(page, name);
    }

    [Fact]
    public async Task The_whole_portal_from_registration_to_the_sms_lookup_on_a_desktop()
    {
        fixture.RequireBrowser();
        var commune = await DemoCommuneAsync(fixture);
        await using var staff = await StaffAsync();
        var person = Person.New("Lê Văn Hùng", "Nam");
        var citizen = await PageAsync(fixture, Desktop);

        await RegisterAsync(citizen, staff.Admin, person, "");
        await SignOutAndInAsync(citizen, person, "");

        // A birth registration, found by search: free (on time, online), with a supplement on the way.
        await FindAsync(citizen, "đăng ký khai sinh", "Đăng ký khai sinh", "");
        await StartAsync(citizen, commune, person, "");
        await FillBirthRegistrationAsync(citizen, person.FullName, person.Cccd, "Lê Minh An", "Nam", person.BirthDate);
        var birth = await SubmitAsync(citizen, "Lê Minh An", "");
        await ReceiveAsync(staff.Reception, birth, "");
        await SupplementAsync(staff, citizen, birth, "");
        await ApproveAndAnnounceAsync(staff, birth, "trich-luc-khai-sinh.pdf");
        await HandBackAndDownloadAsync(staff.Reception, citizen, birth, "trich-luc-khai-sinh.pdf", null);

        // Two copies of the birth extract: 16.000 đ, paid online before the result is handed back.
        await citizen.GotoAsync("/thu-tuc/2.000635");
        await StartAsync(citizen, commune, person, "x-");
        await FillCopyRequestAsync(citizen, person);
        var copies = await SubmitAsync(citizen, "Bổ sung hồ sơ nhập học của con", "x-", IdentityPapers);
        await ReceiveAsync(staff.Reception, copies, null);
        await ApproveAndAnnounceAsync(staff, copies, "ban-sao-trich-luc.pdf");
        await staff.Reception.ReloadAsync();
        Assert.Equal("Chờ thanh toán", (await staff.Reception.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.Contains("16.000 đ · chưa thanh toán", await staff.Reception.Locator("#phi-le-phi").InnerTextAsync(), StringComparison.Ordinal);
        await PayAsync(citizen, copies, "16.000 đ", "");
        await HandBackAndDownloadAsync(staff.Reception, citizen, copies, "ban-sao-trich-luc.pdf", "");

        // Every change was told in the account too; the unread count in the header is dark on its pale tag, not white on it.
        var unread = citizen.Locator("#thong-bao-dau-trang .tag");
        Assert.True(int.Parse(await unread.InnerTextAsync(), CultureInfo.InvariantCulture) > 0);
        Assert.Equal("rgb(26, 26, 26)", await unread.EvaluateAsync<string>("e => getComputedStyle(e).color"));

        // The final state, for anyone with the code and by SMS.
        var visitor = await PageAsync(fixture, Desktop);
        await PublicLookupAsync(visitor, birth, person.FullName, null);
        await PublicLookupAsync(visitor, copies, person.FullName, "22-tra-cuu.png");
        await SmsLookupAsync(birth, person.Phone);
        await SmsLookupAsync(copies, person.Phone);
        await visitor.Context.CloseAsync();
        await citizen.Context.CloseAsync();
    }

    [Fact]
    public async Task The_citizen_part_on_a_phone_without_javascript()
    {
        fixture.RequireBrowser();
        var commune = await DemoCommuneAsync(fixture);
        await using var staff = await StaffAsync();
        var person = Person.New("Đỗ Thị Mai", "Nữ");
        var phone = await PageAsync(fixture, Phone, javaScript: false);
        var xhr = 0;
        phone.Request += (_, r) => { if (r.ResourceType is "xhr" or "fetch") { xhr++; } };

        await RegisterAsync(phone, staff.Admin, person, "phone-");
        await SignOutAndInAsync(phone, person, "phone-");
        await FindAsync(phone, "trich luc", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", "phone-");
        await StartAsync(phone, commune, person, "phone-");
        await FillCopyRequestAsync(phone, person);
        var code = await SubmitAsync(phone, "Bổ sung hồ sơ nhập học của con", "phone-", IdentityPapers);

        await ReceiveAsync(staff.Reception, code, null);
        await SupplementAsync(staff, phone, code, "phone-");
        await ApproveAndAnnounceAsync(staff, code, "ban-sao-trich-luc-dt.pdf");
        await PayAsync(phone, code, "16.000 đ", "phone-");
        await HandBackAndDownloadAsync(staff.Reception, phone, code, "ban-sao-trich-luc-dt.pdf", "phone-");
        await PublicLookupAsync(phone, code, person.FullName, "phone-22-tra-cuu.png");
        await SmsLookupAsync(code, person.Phone);
        Assert.Equal(0, xhr);
        await phone.Context.CloseAsync();
    }
}
