using System.Diagnostics;
using System.Globalization;
using System.Net;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Processing.Slips;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using QRCoder;
using UglyToad.PdfPig.Graphics.Operations.PathConstruction;
using static DichVuCong.Tests.Infrastructure.PdfText;
using PdfReader = UglyToad.PdfPig.PdfDocument;

namespace DichVuCong.Tests.Modules.Processing;

/// <summary>The official slips as people get them: PDFs read back as text, the register as a spreadsheet, and pictures to look at.</summary>
public sealed class SlipTests
{
    private const double A5Width = 419.5, A5Height = 595.3, A4Long = 841.9;
    private static readonly SlipRenderer Renderer = new();

    public static TheoryData<string, string> Forms() => new(AllForms());

    private static IEnumerable<(string Regime, string Form)> AllForms() =>
        Renderer.Regimes.SelectMany(r => r.Forms.Select(f => (SlipTemplates.Slug(r.Regime), f.Form)));

    [Fact]
    public void Each_regime_has_its_forms_numbered_as_its_circular()
    {
        Assert.Equal(
            ["01 Receipt", "02 SupplementRequest", "03 Refusal", "04 Apology", "05 ControlSheet", "06 Register"],
            Renderer.Regimes.First(r => r.Regime == Regime.Tt01Of2018).Forms.Select(f => $"{f.Form} {f.Kind}"));
        Assert.Equal(
            ["01 Receipt", "02 SupplementRequest", "03 Refusal", "04 Apology", "05 Stop", "06 ControlSheet", "07 Register"],
            Renderer.Regimes.First(r => r.Regime == Regime.Tt03Of2025).Forms.Select(f => $"{f.Form} {f.Kind}"));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_form_prints_its_number_title_agency_dossier_code_and_dates_on_its_paper(string regimeSlug, string form)
    {
        var (regime, template) = Find(regimeSlug, form);
        var (pdf, code, dates) = Render(regime, template);

        using var document = PdfReader.Open(pdf);
        var page = document.GetPage(1);
        var text = Squash(string.Concat(document.GetPages().Select(p => p.Text)));
        Assert.Contains(Squash(template.Label), text, StringComparison.Ordinal);
        Assert.Contains(Upper(template.Title), text, StringComparison.Ordinal);
        Assert.Contains(Upper(SlipSamples.Seeded.Desk.Name), text, StringComparison.Ordinal);
        Assert.Contains(Squash(code), text, StringComparison.Ordinal);
        Assert.All(dates, date => Assert.Contains(date, text, StringComparison.Ordinal));
        Assert.True(pdf.Length < 150_000, $"{regimeSlug}/{form} is {pdf.Length} bytes");
        if (template.Kind == SlipKind.Register)
        {
            Assert.Equal((A4Long, A5Height), (Math.Round(page.Width, 1), Math.Round(page.Height, 1)), new Tolerance());
        }
        else
        {
            Assert.Equal((A5Width, A5Height), (Math.Round(page.Width, 1), Math.Round(page.Height, 1)), new Tolerance());
            Assert.Equal(1, document.NumberOfPages);
            Assert.Contains(Squash(SlipSamples.Seeded.Desk.Name), text, StringComparison.Ordinal);
            Assert.Contains("CỘNGHÒAXÃHỘICHỦNGHĨAVIỆTNAM", text, StringComparison.Ordinal);
            Assert.Contains("Độclập-Tựdo-Hạnhphúc", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_qr_code_on_a_slip_is_the_lookup_address_of_its_dossier()
    {
        var data = SlipSamples.Slip(SlipSamples.Seeded, Regime.Tt03Of2025, code => "https://dichvucong.namha.gov.vn/tra-cuu?ma=" + code);

        using var document = PdfReader.Open(Renderer.Pdf(SlipKind.Receipt, data));
        var page = document.GetPage(1);

        // The squares drawn are exactly the dark modules of the QR code of that address, in place.
        var squares = page.Operations.OfType<AppendRectangle>().ToList();
        var module = (double)squares[0].Width;
        var left = squares.Min(s => (double)s.LowerLeftX);
        var top = squares.Max(s => (double)s.LowerLeftY);
        var drawn = squares.Select(s => (Row: (int)Math.Round((top - (double)s.LowerLeftY) / Math.Abs((double)s.Height)), Column: (int)Math.Round(((double)s.LowerLeftX - left) / module))).ToHashSet();
        using var generator = new QRCodeGenerator();
        using var qr = generator.CreateQrCode(data.LookupUrl, QRCodeGenerator.ECCLevel.M);
        var expected = Enumerable.Range(0, qr.ModuleMatrix.Count)
            .SelectMany(r => Enumerable.Range(0, qr.ModuleMatrix.Count).Where(c => qr.ModuleMatrix[r][c]).Select(c => (Row: r, Column: c)))
            .ToList();
        var (rowShift, columnShift) = (expected.Min(e => e.Row), expected.Min(e => e.Column));
        Assert.Equal(expected.Count, squares.Count);
        Assert.True(drawn.SetEquals(expected.Select(e => (e.Row - rowShift, e.Column - columnShift))), "the drawn modules differ from the QR code of the address");
        Assert.Contains(Squash(data.LookupUrl), Squash(page.Text), StringComparison.Ordinal);
    }

    [Fact]
    public void A_slip_takes_the_layout_of_the_rule_in_force_on_the_day_the_dossier_was_received()
    {
        Assert.Equal(Regime.Tt01Of2018, Renderer.RegimeOn(new DateOnly(2025, 9, 14)));
        Assert.Equal(Regime.Tt03Of2025, Renderer.RegimeOn(new DateOnly(2025, 9, 15)));

        var sample = SlipSamples.Slip(SlipSamples.Seeded, Regime.Tt03Of2025, code => "https://dvc.example/tra-cuu?ma=" + code);
        // 23:30 on 14/9 in Vietnam is 16:30 UTC: the day is Vietnam's.
        var lastDayOfOld = sample with { ReceivedAt = new DateTime(2025, 9, 14, 16, 30, 0, DateTimeKind.Utc) };
        var firstDayOfNew = sample with { ReceivedAt = new DateTime(2025, 9, 14, 17, 30, 0, DateTimeKind.Utc) };

        var old = Squash(PdfReader.Open(Renderer.Pdf(SlipKind.ControlSheet, lastDayOfOld)).GetPage(1).Text);
        var current = Squash(PdfReader.Open(Renderer.Pdf(SlipKind.ControlSheet, firstDayOfNew)).GetPage(1).Text);
        Assert.Contains("Mẫusố05", old, StringComparison.Ordinal);
        Assert.Contains("Thôngtưsố01/2018/TT-VPCP", old, StringComparison.Ordinal);
        Assert.Contains("Mẫusố06", current, StringComparison.Ordinal);
        Assert.Contains("Thôngtưsố03/2025/TT-VPCP", current, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Renderer.Pdf(SlipKind.Stop, lastDayOfOld));
        Assert.NotEmpty(Renderer.Pdf(SlipKind.Stop, firstDayOfNew));
    }

    [Fact]
    public void The_control_sheet_shows_every_hand_over_with_its_time_and_whether_it_was_on_time()
    {
        var data = SlipSamples.Slip(SlipSamples.Seeded, Regime.Tt03Of2025, code => "https://dvc.example/tra-cuu?ma=" + code);

        var text = Squash(PdfReader.Open(Renderer.Pdf(SlipKind.ControlSheet, data)).GetPage(1).Text);

        foreach (var step in data.Steps)
        {
            Assert.Contains(Squash($"1. Giao: {step.From}"), text, StringComparison.Ordinal);
            Assert.Contains(Squash($"2. Nhận: {step.To}"), text, StringComparison.Ordinal);
            Assert.Contains(Squash(VietnamTime.ToLocal(step.HandedAt).ToString("HH 'giờ' mm 'phút, ngày' dd/MM/yyyy", CultureInfo.InvariantCulture)), text, StringComparison.Ordinal);
            Assert.Contains(Squash(step.ReceiverName!), text, StringComparison.Ordinal);
        }

        Assert.Contains("Trướchạn", text, StringComparison.Ordinal);
        Assert.Contains("Đúnghạn", text, StringComparison.Ordinal);
        Assert.Contains("Quáhạn", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_register_runs_over_pages_with_its_header_on_each_and_downloads_as_a_spreadsheet()
    {
        var sample = SlipSamples.Register(SlipSamples.Seeded, Regime.Tt03Of2025);
        var rows = Enumerable.Range(1, 45).Select(i => sample.Rows[0] with { DossierCode = $"000.00.20.H99-251020-{i:0000}", ApplicantName = $"Người nộp số {i}" }).ToList();
        var register = sample with { Rows = rows };

        using var document = PdfReader.Open(Renderer.RegisterPdf(register));
        var pages = document.GetPages().Select(p => Squash(p.Text)).ToList();
        Assert.True(pages.Count > 1);
        Assert.All(pages, p => Assert.Contains("TênTTHC", p, StringComparison.Ordinal));
        Assert.All(pages.Select((p, i) => (p, i)), x => Assert.Contains($"Trang{x.i + 1}/{pages.Count}", x.p, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains(r.DossierCode, string.Concat(pages), StringComparison.Ordinal));
        Assert.Contains("Từngày20/10/2025đếnngày26/10/2025", pages[0], StringComparison.Ordinal);

        using var workbook = SpreadsheetDocument.Open(new MemoryStream(Renderer.RegisterXlsx(register)), false);
        var sheet = workbook.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var cells = sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH NAM HÀ", cells[0][0]);
        Assert.Equal("SỔ THEO DÕI HỒ SƠ", cells[1][0]);
        Assert.Equal("Từ ngày 20/10/2025 đến ngày 26/10/2025", cells[2][0]);
        Assert.Contains("Ngày, tháng, năm", cells[3]);
        Assert.Equal(["TT", "Mã hồ sơ", "Tên TTHC"], cells[3].Take(3));
        Assert.Equal(["Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả"], cells[4].Skip(7).Take(3));
        var body = cells.Skip(5).ToList();
        Assert.Equal(rows.Select(r => r.DossierCode), body.Select(r => r[1]));
        Assert.Equal(rows.Select(r => r.ApplicantName), body.Select(r => r[4]));
        Assert.Equal("14:05 20/10/2025", body[0][7]);
    }

    [Fact]
    public async Task Many_slips_render_at_once_each_with_its_own_dossier()
    {
        // One renderer serves every request of the portal.
        var sample = SlipSamples.Slip(SlipSamples.Seeded, Regime.Tt03Of2025, code => "https://dvc.example/tra-cuu?ma=" + code);
        var codes = Enumerable.Range(1, 16).Select(i => $"000.00.20.H99-251020-{i:0000}").ToList();

        var texts = await Task.WhenAll(codes.Select(code => Task.Run(() =>
            Squash(PdfReader.Open(Renderer.Pdf((SlipKind)(codes.IndexOf(code) % 5), sample with { DossierCode = code })).GetPage(1).Text))));

        Assert.All(codes.Zip(texts), pair => Assert.Contains(pair.First, pair.Second, StringComparison.Ordinal));
    }

    [Fact]
    public void Slips_render_to_pictures_for_a_look()
    {
        if (!File.Exists("/usr/bin/pdftoppm") && !File.Exists("/usr/local/bin/pdftoppm"))
        {
            Requirements.SkipOrFail("pdftoppm (poppler-utils) is not installed, so the slips cannot be drawn as pictures here.");
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "slips");
        Directory.CreateDirectory(folder);
        foreach (var (regimeSlug, form) in AllForms())
        {
            var (regime, template) = Find(regimeSlug, form);
            var name = Path.Combine(folder, $"{regimeSlug}-mau-{form}");
            File.WriteAllBytes(name + ".pdf", Render(regime, template).Pdf);
            using var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", name + ".pdf", name]))!;
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);

            // 100 dpi: A5 portrait is 583 × 827 pixels, A4 landscape 1169 × 827; a drawn page is far from blank.
            var png = File.ReadAllBytes(name + ".png");
            var size = (Width: ReadBigEndian(png, 16), Height: ReadBigEndian(png, 20));
            Assert.Equal(template.Kind == SlipKind.Register ? (1169, 827) : (583, 827), size, new Tolerance());
            Assert.True(png.Length > 20_000, $"{name}.png looks empty");
        }

        TestContext.Current.SendDiagnosticMessage("Slip pictures: " + folder);
    }

    private static (Regime Regime, SlipTemplate Template) Find(string regimeSlug, string form)
    {
        var regime = Renderer.Regimes.Single(r => SlipTemplates.Slug(r.Regime) == regimeSlug);
        return (regime.Regime, regime.Forms.Single(f => f.Form == form));
    }

    /// <summary>The sample PDF of a form, the dossier code it must show, and dates (dd/MM/yyyy) it must print.</summary>
    private static (byte[] Pdf, string Code, string[] Dates) Render(Regime regime, SlipTemplate template)
    {
        if (template.Kind == SlipKind.Register)
        {
            var register = SlipSamples.Register(SlipSamples.Seeded, regime);
            string[] dates = [Date(register.From), Date(register.To), .. register.Rows.Select(r => Formats(r.ReceivedAt))];
            return (Renderer.RegisterPdf(regime, register), register.Rows[0].DossierCode, dates);
        }

        var data = SlipSamples.Slip(SlipSamples.Seeded, regime, code => "https://dichvucong.namha.gov.vn/tra-cuu?ma=" + code);
        return (Renderer.Pdf(regime, template.Kind, data), data.DossierCode, [Formats(data.ReceivedAt)]);

        static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        static string Formats(DateTime utc) => VietnamTime.ToLocal(utc).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
    }

    private static int ReadBigEndian(byte[] bytes, int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];

    /// <summary>Sizes equal within one unit (points of a page, pixels of a picture: rounding differs).</summary>
    private sealed class Tolerance : IEqualityComparer<(double, double)>, IEqualityComparer<(int, int)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) <= 1 && Math.Abs(x.Item2 - y.Item2) <= 1;

        public bool Equals((int, int) x, (int, int) y) => Equals(((double)x.Item1, (double)x.Item2), (y.Item1, y.Item2));

        public int GetHashCode((double, double) obj) => 0;

        public int GetHashCode((int, int) obj) => 0;
    }
}

/// <summary>The preview page and its PDFs are for officers only.</summary>
public abstract class SlipPreviewTests(PortalFixture portal)
{
    [Fact]
    public async Task Only_a_signed_in_officer_gets_the_sample_slips()
    {
        _ = portal.Services;
        const string pdf = "/can-bo/mau-phieu/tt03-2025/mau-01.pdf";
        using var anonymous = BackOffice.Browser(portal.Factory);
        foreach (var url in new[] { "/can-bo/mau-phieu", pdf })
        {
            using var response = await anonymous.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal("/dang-nhap", BackOffice.RedirectPath(response));
        }

        using var citizen = await BackOffice.SignedInAsync(portal.Factory, "demo.congdan");
        foreach (var url in new[] { "/can-bo/mau-phieu", pdf })
        {
            using var response = await citizen.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal("/khong-co-quyen", BackOffice.RedirectPath(response));
        }

        using var officer = await BackOffice.SignedInAsync(portal.Factory, "demo.tiepnhan");
        var page = await officer.GetPageAsync("/can-bo/mau-phieu");
        var links = page.QuerySelectorAll("main a[href^='/can-bo/mau-phieu/']").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(13 + 2, links.Count);
        Assert.Contains(pdf, links);
        Assert.Contains("/can-bo/mau-phieu/tt01-2018/mau-06.xlsx", links);
        Assert.Equal("Xem PDF", page.QuerySelector($"a[href='{pdf}']").Text());

        using var slip = await officer.GetAsync(new Uri(pdf, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, slip.StatusCode);
        Assert.Equal("application/pdf", slip.Content.Headers.ContentType!.MediaType);
        var bytes = await slip.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "slips"));
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "slips", $"preview-{GetType().Name}.pdf"), bytes, TestContext.Current.CancellationToken);
        using var document = PdfReader.Open(bytes);
        var text = Squash(string.Concat(document.GetPages().Select(p => p.Text)));
        Assert.Contains("TrungtâmPhụcvụhànhchínhcôngtỉnhNamHà", text, StringComparison.Ordinal);
        Assert.Contains("http://localhost/tra-cuu?ma=000.00.20.H99-251020-0007", text, StringComparison.Ordinal);

        using var sheet = await officer.GetAsync(new Uri("/can-bo/mau-phieu/tt01-2018/mau-06.xlsx", UriKind.Relative));
        Assert.Equal(SlipRenderer.XlsxContentType, sheet.Content.Headers.ContentType!.MediaType);
        using var missing = await officer.GetAsync(new Uri("/can-bo/mau-phieu/tt01-2018/mau-07.pdf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SlipPreviewTestsOnSqlite(SqlitePortal portal) : SlipPreviewTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class SlipPreviewTestsOnPostgreSql(PostgresPortal portal) : SlipPreviewTests(portal);
