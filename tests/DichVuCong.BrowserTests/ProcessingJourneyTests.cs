using System.Globalization;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Processing.DueDates;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.Playwright;
using static DichVuCong.BrowserTests.Journey;

namespace DichVuCong.BrowserTests;

/// <summary>
/// A dossier through its agency's process in real Chromium: the citizen submits, the one-stop desk receives, the
/// officer of the next step processes, the leader approves, the desk attaches and hands back the result, and the
/// citizen sees it completed. The officers are the demo ones of the first commune, signed in with their codes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProcessingJourneyTests(BrowserFixture fixture)
{
    private async Task<(string Cccd, string Commune)> CitizenAndCommuneAsync(string fullName) =>
        ((await NewCitizenAsync(fixture, fullName)).CitizenId!, await DemoCommuneAsync(fixture));

    private Task<IPage> CitizenAsync(string cccd) => Journey.CitizenAsync(fixture, cccd);

    private Task<IPage> OfficerAsync(string userName) => Journey.OfficerAsync(fixture, userName);

    private static Task OpenFromInboxAsync(IPage officer, string view, string code) => Journey.OpenFromInboxAsync(officer, view, code, $"officer-inbox-{view}.png");

    /// <summary>From the procedure page through the wizard's first step at the demo officers' commune.</summary>
    private static async Task StartAsync(IPage page, string procedureCode, string commune)
    {
        await page.GotoAsync("/thu-tuc/" + procedureCode);
        await page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "Nộp hồ sơ trực tuyến", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Cơ quan tiếp nhận hồ sơ" }).GetByRole(AriaRole.Radio, new() { Name = commune, Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Bắt đầu nộp hồ sơ" }).ClickAsync();
        await page.WaitForURLAsync("**/nguoi-nop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Điền từ tài khoản" }).ClickAsync();
        await page.GetByText("Đã điền thông tin từ tài khoản của bạn.").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        await page.WaitForURLAsync("**/to-khai");
    }

    /// <summary>Files, delivery at the desk, review, send; returns the dossier code.</summary>
    private static async Task<string> FinishAsync(IPage page)
    {
        await page.WaitForURLAsync("**/giay-to");
        await UploadRequiredAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        await page.WaitForURLAsync("**/nhan-ket-qua");
        await Choice(page, "Bạn muốn nhận kết quả bằng cách nào?", "Nhận trực tiếp tại Bộ phận Một cửa").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        await page.WaitForURLAsync("**/kiem-tra");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi đi" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Đã nộp hồ sơ" }).WaitForAsync();
        return (await page.Locator("#ma-ho-so").InnerTextAsync()).Trim();
    }

    [Fact]
    public async Task A_birth_registration_goes_from_the_citizen_through_the_desk_the_civil_status_officer_and_the_leader_and_back()
    {
        fixture.RequireBrowser();
        const string fullName = "Lương Văn Bình";
        var (cccd, commune) = await CitizenAndCommuneAsync(fullName);
        var citizen = await CitizenAsync(cccd);
        await StartAsync(citizen, "1.001193", commune);
        await FillBirthRegistrationAsync(citizen, fullName, cccd, "Lương Minh Châu", "Nữ", "03/02/1995");
        await citizen.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        var code = await FinishAsync(citizen);

        // The one-stop desk receives it: the due date and the working time left appear.
        var reception = await OfficerAsync("demo.tiepnhan");
        await OpenFromInboxAsync(reception, "moi", code);
        Assert.Equal(0, await reception.Locator("#form-approve").CountAsync());
        await ActAsync(reception, "receive", "Giấy tờ hợp lệ");
        Assert.Equal("Đã tiếp nhận", (await reception.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.Contains("làm việc", await reception.Locator("#hen-tra").InnerTextAsync(), StringComparison.Ordinal);
        await reception.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "officer-received.png"), FullPage = true });

        // The civil status officer finds it waiting for their role and sends it to the leader.
        var specialist = await OfficerAsync("demo.chuyenvien");
        await OpenFromInboxAsync(specialist, "cua-toi", code);
        Assert.Contains("Công chức tư pháp – hộ tịch", await specialist.Locator("#buoc").InnerTextAsync(), StringComparison.Ordinal);
        await ActAsync(specialist, "forward", "Đã kiểm tra, ghi sổ hộ tịch");

        var leader = await OfficerAsync("demo.lanhdao");
        await OpenFromInboxAsync(leader, "cua-toi", code);
        await ActAsync(leader, "approve", "Đã ký trích lục");

        // Back at the desk: the result is attached, announced, and handed back.
        await OpenFromInboxAsync(reception, "cua-toi", code);
        await ActAsync(reception, "attach-result", file: SampleFile("trich-luc-khai-sinh.pdf"));
        await ActAsync(reception, "result-ready");
        await ActAsync(reception, "hand-back");
        Assert.Equal("Đã trả kết quả", (await reception.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.Equal(6, await reception.Locator("#qua-trinh tbody tr").CountAsync());
        await reception.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "officer-handed-back.png"), FullPage = true });

        await citizen.GotoAsync("/ho-so-cua-toi");
        await citizen.Locator("main table").GetByRole(AriaRole.Link, new() { Name = code, Exact = true }).ClickAsync();
        Assert.Equal("Đã trả kết quả", (await citizen.Locator("#trang-thai").InnerTextAsync()).Trim());
        await citizen.GetByRole(AriaRole.Link, new() { Name = "trich-luc-khai-sinh.pdf" }).WaitForAsync();
        await citizen.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "citizen-completed.png"), FullPage = true });

        // The notification centre told of each change (sent, received, result ready, handed back), newest first.
        var bell = citizen.Locator("#thong-bao-dau-trang");
        Assert.Equal("4", (await bell.Locator(".tag").InnerTextAsync()).Trim());
        await bell.ClickAsync();
        var notices = citizen.Locator("#thong-bao li");
        Assert.Equal(4, await notices.CountAsync());
        Assert.Contains($"Đã trả kết quả hồ sơ {code}", await notices.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains($"Đã tiếp nhận hồ sơ {code}", await notices.Nth(2).InnerTextAsync(), StringComparison.Ordinal);
        await citizen.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "citizen-notifications.png"), FullPage = true });
        await notices.First.GetByRole(AriaRole.Button).ClickAsync();
        Assert.Equal("Đã trả kết quả", (await citizen.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.Equal("3", (await bell.Locator(".tag").InnerTextAsync()).Trim());

        foreach (var p in new[] { citizen, reception, specialist, leader })
        {
            await p.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_building_permit_goes_through_four_steps_with_a_supplement_the_citizen_sends_in_between()
    {
        fixture.RequireBrowser();
        const string fullName = "Vương Văn Xây";
        var (cccd, commune) = await CitizenAndCommuneAsync(fullName);
        var citizen = await CitizenAsync(cccd);
        await StartAsync(citizen, "1.013225", commune);
        await Choice(citizen, "Chủ đầu tư là", "Cá nhân, hộ gia đình").CheckAsync();
        await Text(citizen, "Tên chủ đầu tư (chủ hộ)").FillAsync(fullName);
        await Text(citizen, "Số định danh cá nhân (số CCCD) của chủ đầu tư").FillAsync(cccd);
        await Text(citizen, "Địa chỉ liên hệ").FillAsync("Thôn Đông, xã Yên Lạc, tỉnh Nam Hà");
        await Text(citizen, "Số điện thoại").FillAsync("0912 345 678");
        await Text(citizen, "Lô đất số").FillAsync("Thửa 25, tờ bản đồ 7");
        await Text(citizen, "Diện tích lô đất (m²)").FillAsync("85,5");
        await Text(citizen, "Địa điểm xây dựng").FillAsync("Thôn Đông, xã Yên Lạc, tỉnh Nam Hà");
        await Text(citizen, "Giấy tờ về quyền sử dụng đất (loại, số, ngày cấp)").FillAsync("Giấy chứng nhận số CS 123456 cấp ngày 10/3/2020");
        await Choice(citizen, "Thiết kế do", "Tổ chức, cá nhân có năng lực thiết kế").CheckAsync();
        await Text(citizen, "Tên đơn vị thiết kế").FillAsync("Công ty TNHH Kiến trúc Việt");
        await Text(citizen, "Mã số chứng chỉ năng lực hoặc chứng chỉ hành nghề").FillAsync("HAN-00012345");
        await citizen.GetByRole(AriaRole.Combobox, new() { Name = "Cấp công trình" }).SelectOptionAsync(new SelectOptionValue { Label = "Cấp III" });
        await Text(citizen, "Diện tích xây dựng tầng 1 (tầng trệt) (m²)").FillAsync("70");
        await Text(citizen, "Tổng diện tích sàn (m²)").FillAsync("280");
        await Text(citizen, "Chiều cao công trình (m)").FillAsync("15,6");
        await Text(citizen, "Số tầng trên mặt đất").FillAsync("4");
        await Choice(citizen, "Có tầng hầm", "Không").CheckAsync();
        await Text(citizen, "Thời gian hoàn thành (tháng)").FillAsync("10");
        await citizen.GetByRole(AriaRole.Group, new() { Name = "6. Cam kết" }).GetByRole(AriaRole.Checkbox).CheckAsync();
        await citizen.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        var code = await FinishAsync(citizen);

        var reception = await OfficerAsync("demo.tiepnhan");
        await OpenFromInboxAsync(reception, "moi", code);
        await ActAsync(reception, "receive");
        var due = (await reception.Locator("#hen-tra").InnerTextAsync()).Trim();
        // 15 working days, less the moments since reception.
        Assert.Matches("còn (15 ngày|14 ngày 7 giờ) làm việc", due);

        // The appraisal finds a drawing missing: the clock stops and the citizen is told exactly what to add.
        var specialist = await OfficerAsync("demo.chuyenvien");
        await OpenFromInboxAsync(specialist, "cua-toi", code);
        await specialist.Locator("#form-request-supplement textarea[name=Missing]").FillAsync("Bản vẽ mặt cắt công trình\nẢnh chụp hiện trạng khu đất");
        await ActAsync(specialist, "request-supplement");
        Assert.Equal("Yêu cầu bổ sung", (await specialist.Locator("#trang-thai").InnerTextAsync()).Trim());

        await citizen.GotoAsync("/ho-so-cua-toi");
        await citizen.Locator("main table").GetByRole(AriaRole.Link, new() { Name = code, Exact = true }).ClickAsync();
        Assert.Equal(["Bản vẽ mặt cắt công trình", "Ảnh chụp hiện trạng khu đất"], await citizen.Locator("#can-bo-sung li").AllInnerTextsAsync());
        await citizen.Locator("#tai-bo-sung input[type=file]").SetInputFilesAsync(SampleFile("ban-ve-mat-cat.pdf"));
        await citizen.Locator("#tai-bo-sung").GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).ClickAsync();
        await citizen.Locator("#tep-da-bo-sung").GetByText("ban-ve-mat-cat.pdf").WaitForAsync();
        await citizen.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "citizen-supplement.png"), FullPage = true });
        await citizen.GetByRole(AriaRole.Button, new() { Name = "Gửi bổ sung" }).ClickAsync();
        await citizen.GetByText("Đã gửi bổ sung.", new() { Exact = false }).WaitForAsync();
        Assert.Equal("Đang xử lý", (await citizen.Locator("#trang-thai").InnerTextAsync()).Trim());

        await OpenFromInboxAsync(specialist, "cua-toi", code);
        await specialist.GetByRole(AriaRole.Link, new() { Name = "ban-ve-mat-cat.pdf" }).WaitForAsync();
        await ActAsync(specialist, "forward", "Hồ sơ đủ điều kiện cấp phép");
        var leader = await OfficerAsync("demo.lanhdao");
        await OpenFromInboxAsync(leader, "cua-toi", code);
        Assert.Contains("Lãnh đạo duyệt", await leader.Locator("#buoc").InnerTextAsync(), StringComparison.Ordinal);
        await ActAsync(leader, "approve");

        await OpenFromInboxAsync(reception, "cua-toi", code);
        await ActAsync(reception, "attach-result", file: SampleFile("giay-phep-xay-dung.pdf"));
        await ActAsync(reception, "result-ready");
        await ActAsync(reception, "hand-back");
        Assert.Equal("Đã trả kết quả", (await reception.Locator("#trang-thai").InnerTextAsync()).Trim());

        await citizen.ReloadAsync();
        Assert.Equal("Đã trả kết quả", (await citizen.Locator("#trang-thai").InnerTextAsync()).Trim());
        foreach (var p in new[] { citizen, reception, specialist, leader })
        {
            await p.Context.CloseAsync();
        }
    }
    /// <summary>The due date the portal gives a same-day dossier received now, by the agency's own calendar, in the format people read.</summary>
    private async Task<(string Due, DateOnly Day)> SameDayDueAsync(string code)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var dossier = await db.Dossiers.AsNoTracking().SingleAsync(d => d.Code == code);
        var calendar = await scope.ServiceProvider.GetRequiredService<WorkingCalendars>().ForAgencyAsync(dossier.AgencyId, CancellationToken.None);
        var received = DossierProcessing.Local(dossier.ReceivedAt!.Value);
        var due = calendar.DueAt(received, 1, TimeLimitUnit.SameDay);
        Assert.Equal(due.UtcDateTime, dossier.DueAt);

        // Received before 15:00 on a working day: that day; otherwise the next working day.
        var receivedDay = DateOnly.FromDateTime(received.DateTime);
        var day = calendar.IsWorkingDay(receivedDay) && TimeOnly.FromDateTime(received.DateTime) < WorkingCalendar.SameDayCutOff ? receivedDay : receivedDay.AddDays(1);
        while (!calendar.IsWorkingDay(day))
        {
            day = day.AddDays(1);
        }

        return (Formats.DateTime(due.UtcDateTime), day);
    }

    [Fact]
    public async Task A_copy_certification_is_received_signed_and_handed_back_within_the_same_day_rule()
    {
        fixture.RequireBrowser();
        const string fullName = "Trịnh Văn Sao";
        var (cccd, commune) = await CitizenAndCommuneAsync(fullName);
        var citizen = await CitizenAsync(cccd);
        await StartAsync(citizen, "2.000815", commune);
        await Text(citizen, "Tên giấy tờ, văn bản").FillAsync("Bằng tốt nghiệp trung học phổ thông");
        await Text(citizen, "Số, ký hiệu của giấy tờ").FillAsync("B 0123456");
        await Text(citizen, "Cơ quan, tổ chức cấp bản chính").FillAsync("Sở Giáo dục và Đào tạo Nam Hà");
        await Text(citizen, "Ngày cấp bản chính").FillAsync("01/07/2013");
        await Choice(citizen, "Ngôn ngữ của bản chính", "Tiếng Việt").CheckAsync();
        await Text(citizen, "Số trang của bản chính").FillAsync("1");
        await Choice(citizen, "Hình thức bản sao", "Bản sao giấy").CheckAsync();
        await Text(citizen, "Số bản sao giấy").FillAsync("3");
        await Text(citizen, "Mục đích sử dụng").FillAsync("Nộp hồ sơ xin việc");
        await citizen.GetByRole(AriaRole.Group, new() { Name = "Cam đoan" }).GetByRole(AriaRole.Checkbox).CheckAsync();
        await citizen.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
        var code = await FinishAsync(citizen);

        // The desk receives it: the due date is that day's closing, or the next working day's after 15:00.
        var reception = await OfficerAsync("demo.tiepnhan");
        await OpenFromInboxAsync(reception, "moi", code);
        await ActAsync(reception, "receive", "Đã đối chiếu bản chính");
        // The copy fee (3 copies of 1 page) is paid before signing: the desk takes it and the dossier goes on.
        Assert.Equal("Chờ thanh toán", (await reception.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.Contains("6.000 đ · chưa thanh toán", await reception.Locator("#phi-le-phi").InnerTextAsync(), StringComparison.Ordinal);
        await reception.GetByRole(AriaRole.Button, new() { Name = "Đã thu phí tại quầy" }).ClickAsync();
        Assert.Contains("đã thanh toán lúc", await reception.Locator("#phi-le-phi").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Đang xử lý", (await reception.Locator("#trang-thai").InnerTextAsync()).Trim());
        var (due, day) = await SameDayDueAsync(code);
        Assert.EndsWith(Formats.Date(day), due, StringComparison.Ordinal);
        var shown = (await reception.Locator("#hen-tra").InnerTextAsync()).Trim();
        Assert.StartsWith(due, shown, StringComparison.Ordinal);
        Assert.Matches("(còn .+ làm việc|đến hạn)", shown);
        await reception.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "officer-same-day-received.png"), FullPage = true });

        // The signing step belongs to the leader, who finds it with the same due date in the inbox.
        var leader = await OfficerAsync("demo.lanhdao");
        await leader.GotoAsync("/can-bo?xem=cua-toi&q=" + Uri.EscapeDataString(code));
        StartsWithDue(due, await leader.Locator("#ho-so tbody tr").Filter(new() { HasText = code }).Locator(".hen-tra").InnerTextAsync());
        await OpenFromInboxAsync(leader, "cua-toi", code);
        Assert.Contains("Người có thẩm quyền ký chứng thực", await leader.Locator("#buoc").InnerTextAsync(), StringComparison.Ordinal);
        await ActAsync(leader, "approve", "Đã ký chứng thực, ghi sổ");

        // Back at the desk: the certified copy is attached, announced and handed back.
        await OpenFromInboxAsync(reception, "cua-toi", code);
        await ActAsync(reception, "attach-result", file: SampleFile("ban-sao-chung-thuc.pdf"));
        await ActAsync(reception, "result-ready");
        await ActAsync(reception, "hand-back");
        Assert.Equal("Đã trả kết quả", (await reception.Locator("#trang-thai").InnerTextAsync()).Trim());
        Assert.Equal(5, await reception.Locator("#qua-trinh tbody tr").CountAsync());

        // The citizen sees it done, before or on time, with its due date and the certified copy.
        await citizen.GotoAsync("/ho-so-cua-toi");
        StartsWithDue(due, await citizen.Locator("main table tbody tr").Filter(new() { HasText = code }).Locator(".hen-tra").InnerTextAsync());
        await citizen.Locator("main table").GetByRole(AriaRole.Link, new() { Name = code, Exact = true }).ClickAsync();
        Assert.Equal("Đã trả kết quả", (await citizen.Locator("#trang-thai").InnerTextAsync()).Trim());
        StartsWithDue(due, await citizen.Locator("#hen-tra").InnerTextAsync());
        var timeline = await citizen.Locator("ol.timeline li").AllInnerTextsAsync();
        Assert.Contains(timeline, t => t.Contains("Đã tiếp nhận hồ sơ; ngày hẹn trả kết quả " + due, StringComparison.Ordinal));
        Assert.Matches(@"Đã trả kết quả \((trước hạn|đúng hạn)\)", timeline[^1]);
        await citizen.GetByRole(AriaRole.Link, new() { Name = "ban-sao-chung-thuc.pdf" }).WaitForAsync();
        await citizen.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "citizen-same-day-completed.png"), FullPage = true });

        foreach (var p in new[] { citizen, reception, leader })
        {
            await p.Context.CloseAsync();
        }

        static void StartsWithDue(string due, string text) => Assert.StartsWith(due, text.Trim(), StringComparison.Ordinal);
    }
}
