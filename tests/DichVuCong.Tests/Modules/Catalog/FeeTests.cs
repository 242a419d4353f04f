using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Tests.Modules.Dossiers;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers.EForms;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Catalog;

/// <summary>The fee calculation table: pure, the schedules as seeded in SeedData/fees.json.</summary>
public sealed class FeeCalculationTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);
    private static readonly DateOnly BeforeNq23 = new(2026, 8, 7);

    private static FeeItem Certification() => new()
    {
        Name = "Phí chứng thực bản sao từ bản chính",
        Kind = FeeKind.PerUnit,
        Unit = "trang",
        UnitField = "pageCount",
        CopiesField = "copyCount",
        Tiers = [new FeeTier(1, 2, 2000), new FeeTier(3, null, 1000)],
        CapPerCopy = 200_000,
    };

    private static readonly FeeExemption Online = new("nộp hồ sơ trực tuyến (Nghị quyết số 23/2026/NQ-HĐND)", FeeCondition.Online, From: new DateOnly(2026, 8, 8));

    private static FeeItem BirthRegistration() => new()
    {
        Name = "Lệ phí đăng ký khai sinh",
        Kind = FeeKind.Fixed,
        Amount = 8000,
        Exemptions = [new("đăng ký khai sinh đúng hạn", FeeCondition.DateWithin, Field: "childBirthDate", Days: 60), Online],
    };

    private static FeeItem BuildingPermit(int? agencyId = null, long amount = 75_000) => new()
    {
        Name = "Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ",
        AgencyId = agencyId,
        Kind = FeeKind.Fixed,
        Amount = amount,
        Exemptions = [Online],
    };

    private static FeeQuote Quote(FeeItem item, Dictionary<string, string?> values, bool online = true, DateOnly? on = null, int? agencyId = null) =>
        Fees.Compute([item], new FeeInput(values, on ?? Today, online, agencyId));

    [Theory]
    [InlineData("1", null, 2_000, "1 trang × 2.000 đ = 2.000 đ (1 bản)")]
    [InlineData("2", null, 4_000, "2 trang × 2.000 đ = 4.000 đ (1 bản)")]
    [InlineData("3", null, 5_000, "2 trang × 2.000 đ + 1 trang × 1.000 đ = 5.000 đ (1 bản)")]
    [InlineData("5", null, 7_000, "2 trang × 2.000 đ + 3 trang × 1.000 đ = 7.000 đ (1 bản)")]
    [InlineData("10", "1", 12_000, "2 trang × 2.000 đ + 8 trang × 1.000 đ = 12.000 đ (1 bản)")]
    [InlineData("198", "1", 200_000, "2 trang × 2.000 đ + 196 trang × 1.000 đ = 200.000 đ (1 bản)")]
    [InlineData("300", null, 200_000, "2 trang × 2.000 đ + 298 trang × 1.000 đ = 302.000 đ, tối đa 200.000 đ/bản (1 bản)")]
    [InlineData("1", "2", 4_000, "1 trang × 2.000 đ = 2.000 đ × 2 bản = 4.000 đ")]
    [InlineData("2", "3", 12_000, "2 trang × 2.000 đ = 4.000 đ × 3 bản = 12.000 đ")]
    [InlineData("3", "3", 15_000, "2 trang × 2.000 đ + 1 trang × 1.000 đ = 5.000 đ × 3 bản = 15.000 đ")]
    [InlineData("10", "2", 24_000, "2 trang × 2.000 đ + 8 trang × 1.000 đ = 12.000 đ × 2 bản = 24.000 đ")]
    [InlineData("300", "2", 400_000, "2 trang × 2.000 đ + 298 trang × 1.000 đ = 302.000 đ, tối đa 200.000 đ/bản × 2 bản = 400.000 đ")]
    [InlineData("300", "3", 600_000, "2 trang × 2.000 đ + 298 trang × 1.000 đ = 302.000 đ, tối đa 200.000 đ/bản × 3 bản = 600.000 đ")]
    public void Certified_copies_cost_by_page_and_copy_up_to_the_cap_and_are_not_free_online(string pages, string? copies, long expected, string explanation)
    {
        var values = new Dictionary<string, string?> { ["pageCount"] = pages };
        if (copies is not null)
        {
            values["copyCount"] = copies;
        }

        var quote = Quote(Certification(), values, online: true);

        Assert.Equal(expected, quote.Total);
        var line = Assert.Single(quote.Lines);
        Assert.Equal(explanation, line.Explanation);
        Assert.True(quote.Complete);
        Assert.Equal($"Phí chứng thực bản sao từ bản chính: {explanation}", quote.Details);
    }

    [Theory]
    [InlineData("2026-11-20", false, "2026-12-03", 0, "Miễn: đăng ký khai sinh đúng hạn")]
    [InlineData("2026-10-04", false, "2026-12-03", 0, "Miễn: đăng ký khai sinh đúng hạn")] // the 60th day
    [InlineData("2026-10-03", false, "2026-12-03", 8_000, "8.000 đ")] // the 61st day
    [InlineData("2020-05-01", false, "2026-12-03", 8_000, "8.000 đ")]
    [InlineData("2020-05-01", true, "2026-12-03", 0, "Miễn: nộp hồ sơ trực tuyến (Nghị quyết số 23/2026/NQ-HĐND)")]
    [InlineData("2020-05-01", true, "2026-08-08", 0, "Miễn: nộp hồ sơ trực tuyến (Nghị quyết số 23/2026/NQ-HĐND)")]
    [InlineData("2020-05-01", true, "2026-08-07", 8_000, "8.000 đ")]
    [InlineData("2026-07-20", true, "2026-08-07", 0, "Miễn: đăng ký khai sinh đúng hạn")]
    [InlineData("", false, "2026-12-03", 8_000, "8.000 đ")] // no birth date: on time cannot be shown
    public void Birth_registration_is_free_on_time_or_online_from_8_August_2026_else_8000(string born, bool online, string submitted, long expected, string explanation)
    {
        var quote = Quote(BirthRegistration(), new() { ["childBirthDate"] = born }, online, DateOnly.Parse(submitted, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, quote.Total);
        Assert.Equal(explanation, Assert.Single(quote.Lines).Explanation);
    }

    [Theory]
    [InlineData(false, "2026-12-03", 75_000)]
    [InlineData(true, "2026-12-03", 0)]
    [InlineData(true, "2026-08-07", 75_000)]
    public void Building_permits_cost_75000_at_the_desk_and_nothing_online_since_NQ_23(bool online, string submitted, long expected)
    {
        var quote = Quote(BuildingPermit(), [], online, DateOnly.Parse(submitted, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, quote.Total);
    }

    [Fact]
    public void An_agencys_own_price_replaces_the_general_item_of_that_name_only_there()
    {
        FeeItem[] items =
        [
            BuildingPermit(),
            BuildingPermit(agencyId: 7, amount: 50_000),
            new() { Name = "Phí thẩm định", Kind = FeeKind.Fixed, Amount = 20_000, SortOrder = 1 },
        ];

        var there = Fees.Compute(items, new FeeInput(new Dictionary<string, string?>(), Today, Online: false, AgencyId: 7));
        var elsewhere = Fees.Compute(items, new FeeInput(new Dictionary<string, string?>(), Today, Online: false, AgencyId: 8));

        Assert.Equal([("Lệ phí cấp giấy phép xây dựng nhà ở riêng lẻ", 50_000L), ("Phí thẩm định", 20_000L)], there.Lines.Select(l => (l.Name, l.Amount)));
        Assert.Equal(70_000, there.Total);
        Assert.Equal(95_000, elsewhere.Total);
    }

    [Theory]
    [InlineData("", "1", "số trang")]
    [InlineData("0", null, "số trang")]
    [InlineData("abc", null, "số trang")]
    [InlineData("-3", null, "số trang")]
    [InlineData("2,5", null, "số trang")]
    [InlineData("4", "abc", "số bản")]
    [InlineData("4", "0", "số bản")]
    public void A_count_that_is_missing_or_not_a_whole_number_from_1_leaves_the_item_unpriced_and_says_so(string pages, string? copies, string what)
    {
        var quote = Quote(Certification(), new() { ["pageCount"] = pages, ["copyCount"] = copies });

        Assert.False(quote.Complete);
        Assert.Equal(0, quote.Total);
        var line = Assert.Single(quote.Lines);
        Assert.False(line.Known);
        Assert.Equal($"chưa tính được vì tờ khai chưa ghi đúng {what}; cơ quan tính khi tiếp nhận hồ sơ", line.Explanation);
    }

    [Fact]
    public void The_price_and_exemptions_read_in_vietnamese_for_the_procedure_page()
    {
        Assert.Equal("2.000 đ/trang (trang 1–2); 1.000 đ/trang (từ trang thứ 3); tối đa 200.000 đ/bản", Certification().PriceText());
        Assert.Equal("75.000 đ", BuildingPermit().PriceText());
        Assert.Equal("Nộp hồ sơ trực tuyến (Nghị quyết số 23/2026/NQ-HĐND), từ ngày 08/08/2026", FeeItem.ExemptionText(Online));
    }
}

/// <summary>The seeded schedules on the procedure page and API, and the fee of a dossier sent online on every page that shows it.</summary>
public abstract class FeeTests(PortalFixture portal)
{
    [Fact]
    public async Task The_procedure_page_and_api_show_the_fee_items_in_vietnamese_money()
    {
        using var client = portal.CreateClient();
        var copy = await client.GetPageAsync("/thu-tuc/2.000815");
        var block = copy.QuerySelector("section[aria-labelledby=phi-le-phi]")!;
        Assert.Equal("Phí, lệ phí", block.QuerySelector("h2")!.TextContent);
        var row = block.QuerySelector("tbody tr")!;
        Assert.Equal("Phí chứng thực bản sao từ bản chính", row.QuerySelector("th")!.TextContent.Trim());
        Assert.StartsWith("2.000 đ/trang (trang 1–2); 1.000 đ/trang (từ trang thứ 3); tối đa 200.000 đ/bản", row.QuerySelector("td[data-label='Mức thu']")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Thông tư số 226/2016/TT-BTC", row.TextContent, StringComparison.Ordinal);

        var birth = await client.GetPageAsync("/thu-tuc/1.001193");
        var exemptions = birth.QuerySelectorAll("section[aria-labelledby=phi-le-phi] td[data-label='Trường hợp miễn'] li").Select(li => li.TextContent).ToList();
        Assert.Equal(
            ["Đăng ký khai sinh đúng hạn, trong 60 ngày kể từ ngày sinh (Luật Hộ tịch 2014, Điều 15)", "Nộp hồ sơ trực tuyến (Nghị quyết số 23/2026/NQ-HĐND), từ ngày 08/08/2026"],
            exemptions);
        Assert.Contains("8.000 đ", birth.QuerySelector("section[aria-labelledby=phi-le-phi] td[data-label='Mức thu']")!.TextContent, StringComparison.Ordinal);

        var api = await client.GetFromJsonAsync<JsonElement>("/api/v1/procedures/2.000815");
        var fee = Assert.Single(api.GetProperty("fees").EnumerateArray());
        Assert.Equal("theo-so-luong", fee.GetProperty("kind").GetString());
        Assert.Equal(200_000, fee.GetProperty("capPerCopy").GetInt64());
        Assert.Equal([2000L, 1000L], fee.GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("each").GetInt64()));
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/v1/procedures/1.000894")).GetProperty("fees").GetArrayLength());
    }

    [Fact]
    public void Every_seeded_schedule_names_fields_its_procedures_e_form_has()
    {
        var eforms = portal.Services.GetRequiredService<EFormRegistry>();
        var seeds = SeedData.Read<CatalogSeeder.FeesSeed>("fees.json").Items;
        Assert.True(seeds.Count >= 10);
        foreach (var seed in seeds)
        {
            var named = new[] { seed.UnitField, seed.CopiesField }.Concat((seed.Exemptions ?? []).Select(e => e.Field)).OfType<string>().ToList();
            if (named.Count == 0)
            {
                continue;
            }

            var fields = eforms.Find(seed.Procedure)?.Fields.Select(f => f.Name).ToHashSet() ?? [];
            Assert.All(named, name => Assert.True(fields.Contains(name), $"{seed.Procedure}: the e-form has no field {name}"));
        }
    }

    [Fact]
    public async Task A_certified_copy_sent_online_owes_its_per_page_fee_shown_on_review_and_on_the_dossier()
    {
        var person = NewCitizen.Make();
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = person.CitizenId, CitizenId = person.CitizenId, FullName = "Ngô Văn Khánh", Kind = AccountKind.Citizen, BirthDate = new DateOnly(1995, 4, 1), Sex = Sex.Male, Email = person.Email, EmailConfirmed = true, PhoneNumber = person.Phone, PhoneNumberConfirmed = true, Address = "Thôn Bắc, xã Yên Lạc, tỉnh Nam Hà" };
            Assert.True((await users.CreateAsync(user, person.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Citizen)).Succeeded);
        }

        using var browser = portal.CreateClient();
        var signIn = await browser.GetPageAsync("/dang-nhap");
        using (var signedIn = await browser.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.CitizenId, ["Password"] = person.Password }))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        using var api = portal.CreateClient();
        using (var token = await api.PostAsJsonAsync("/api/v1/auth/token", new { userName = person.CitizenId, password = person.Password }))
        {
            api.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        }

        var snapshot = await portal.Services.GetRequiredService<CatalogIndex>().GetAsync(default);
        var agency = snapshot.Agencies.Find(snapshot.Procedures.Single(p => p.Code == "2.000815").AgencyIds[0])!;
        var eform = new Dictionary<string, string>
        {
            ["documentName"] = "Bằng tốt nghiệp trung học phổ thông", ["documentIssuer"] = "Sở Giáo dục và Đào tạo tỉnh Nam Hà", ["documentLanguage"] = "tieng-viet",
            ["pageCount"] = "5", ["copyForm"] = "giay", ["copyCount"] = "2", ["pledge"] = "dong-y",
        };
        const long expected = 14_000; // (2 × 2.000 + 3 × 1.000) × 2 bản
        const string explanation = "2 trang × 2.000 đ + 3 trang × 1.000 đ = 7.000 đ × 2 bản = 14.000 đ";

        // The review step shows what sending will cost.
        using var started = await api.PostAsJsonAsync("/api/v1/dossiers", new { procedureCode = "2.000815", agencyCode = agency.Code });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        var draftId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using (var saved = await api.PutAsJsonAsync($"/api/v1/dossiers/{draftId}/eform", eform))
        {
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        var review = await browser.GetPageAsync($"/nop-ho-so/{draftId}/kiem-tra");
        var shown = review.QuerySelector("#phi-le-phi")!;
        Assert.Equal("14.000 đ", shown.QuerySelector("strong")!.TextContent);
        Assert.Contains(explanation, shown.TextContent, StringComparison.Ordinal);

        // Sent in one call, it keeps the fee, and the citizen's and the API's view show it.
        var components = (await api.GetFromJsonAsync<JsonElement>("/api/v1/procedures/2.000815")).GetProperty("components").EnumerateArray()
            .Where(c => c.GetProperty("required").GetBoolean() && !c.GetProperty("name").GetString()!.StartsWith("Tờ khai", StringComparison.Ordinal))
            .Select(c => ($"component-{c.GetProperty("id").GetInt32()}", "ban-chinh.pdf", SampleFiles.Pdf())).ToArray();
        var whole = new
        {
            procedureCode = "2.000815", agencyCode = agency.Code, eform, delivery = new { method = "online" },
            applicant = new { fullName = "Ngô Văn Khánh", identityNumber = person.CitizenId, birthDate = "1995-04-01", phone = person.Phone, address = "Xã Yên Lạc, tỉnh Nam Hà" },
        };
        using var content = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(whole, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json"), "dossier" } };
        foreach (var (part, fileName, bytes) in components)
        {
            content.Add(new ByteArrayContent(bytes), part, fileName);
        }

        using var sent = await api.PostAsync(new Uri("/api/v1/dossiers/submit", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var view = await sent.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected, view.GetProperty("feeAmount").GetInt64());
        Assert.Equal("Phí chứng thực bản sao từ bản chính: " + explanation, view.GetProperty("feeDetails").GetString());
        var id = view.GetProperty("id").GetString();

        using (var scope = portal.Services.CreateScope())
        {
            var dossier = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Dossiers.SingleAsync(d => d.Id == Guid.Parse(id!));
            Assert.Equal(expected, dossier.FeeAmount);
        }

        var page = await browser.GetPageAsync($"/ho-so-cua-toi/{id}");
        var fee = page.QuerySelector("#phi-le-phi")!;
        Assert.Equal("Phí, lệ phí", fee.PreviousElementSibling!.TextContent);
        Assert.Equal("14.000 đ", fee.QuerySelector("strong")!.TextContent);
        Assert.Contains(explanation, fee.TextContent, StringComparison.Ordinal);

        // The agency's reception sees the same on its page.
        var desk = new Desk(portal);
        using var reception = await desk.BrowserAsync(await desk.OfficerAsync(agency.Id, Roles.Reception));
        var officerPage = await reception.GetPageAsync($"/can-bo/ho-so/{id}");
        Assert.Equal("14.000 đ", officerPage.QuerySelector("#phi-le-phi strong")!.TextContent);
        Assert.Contains(explanation, officerPage.QuerySelector("#phi-le-phi")!.TextContent, StringComparison.Ordinal);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class FeeTestsOnSqlite(SqlitePortal portal) : FeeTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class FeeTestsOnPostgreSql(PostgresPortal portal) : FeeTests(portal);
