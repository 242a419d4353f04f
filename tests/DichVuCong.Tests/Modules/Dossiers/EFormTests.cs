using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Dossiers.EForms;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Dossiers;

/// <summary>The shipped e-forms and their validation; no database needed.</summary>
public sealed class EFormTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly EFormRegistry Registry = EFormRegistry.LoadEmbedded();

    public const string BirthCode = "1.001193";
    public const string DeathCode = "1.000656";
    public const string MarriageCode = "1.000894";
    public const string ExtractCode = "2.000635";
    public const string CopyCode = "2.000815";
    public const string BuildingCode = "1.013225";

    private static EForm Form(string code) => Registry.Find(code) ?? throw new InvalidOperationException("no e-form for " + code);

    /// <summary>A complete, valid set per procedure, as a person would type it (dd/MM/yyyy, spaces around).</summary>
    public static Dictionary<string, string?> Valid(string code) => code switch
    {
        BirthCode => new()
        {
            ["requesterName"] = " Nguyễn Văn An ", ["requesterIdNumber"] = "001093004567", ["requesterAddress"] = "Số 5 Lê Lợi, phường Hoàn Kiếm, Hà Nội",
            ["requesterRelation"] = "cha", ["childName"] = "Nguyễn Minh Khôi", ["childBirthDate"] = "20/11/2026", ["childSex"] = "nam",
            ["childEthnicity"] = "Kinh", ["childNationality"] = "Việt Nam", ["childBirthPlace"] = "Bệnh viện Phụ sản Hà Nội",
            ["childHometown"] = "Nam Định", ["motherName"] = "Trần Thị Bình", ["motherBirthDate"] = "03/04/1995", ["motherEthnicity"] = "Kinh",
            ["motherNationality"] = "Việt Nam", ["motherIdNumber"] = "001195012345", ["motherAddress"] = "Số 5 Lê Lợi, phường Hoàn Kiếm, Hà Nội",
            ["fatherKnown"] = "co", ["fatherName"] = "Nguyễn Văn An", ["fatherBirthDate"] = "1/2/1993", ["fatherEthnicity"] = "Kinh",
            ["fatherNationality"] = "Việt Nam", ["fatherIdNumber"] = "001093004567", ["fatherAddress"] = "Số 5 Lê Lợi, phường Hoàn Kiếm, Hà Nội",
            ["wantsCopies"] = "co", ["copyCount"] = "2", ["pledge"] = "dong-y",
        },
        DeathCode => new()
        {
            ["requesterName"] = "Lê Văn Hùng", ["requesterIdNumber"] = "036070001234", ["requesterAddress"] = "Xóm 3, xã Hải Hậu, Ninh Bình",
            ["requesterRelation"] = "con", ["deceasedName"] = "Lê Văn Tám", ["deceasedBirthDate"] = "12/05/1940", ["deceasedSex"] = "nam",
            ["deceasedEthnicity"] = "Kinh", ["deceasedNationality"] = "Việt Nam", ["deceasedIdNumber"] = "036040000123",
            ["deceasedLastAddress"] = "Xóm 3, xã Hải Hậu, Ninh Bình", ["deathDate"] = "28/11/2026", ["deathTime"] = "14:30",
            ["deathPlace"] = "Tại nhà", ["deathCause"] = "Già yếu", ["noticeKind"] = "giay-bao-tu", ["noticeNumber"] = "15/GBT",
            ["noticeDate"] = "29/11/2026", ["noticeIssuer"] = "UBND xã Hải Hậu", ["wantsCopies"] = "khong", ["pledge"] = "dong-y",
        },
        MarriageCode => new()
        {
            ["brideName"] = "Phạm Thị Hoa", ["brideBirthDate"] = "15/06/2000", ["brideEthnicity"] = "Kinh", ["brideNationality"] = "Việt Nam",
            ["brideAddress"] = "Phường Bắc Ninh, Bắc Ninh", ["brideIdNumber"] = "036300001111", ["brideMarriageCount"] = "1",
            ["groomName"] = "Đỗ Văn Nam", ["groomBirthDate"] = "02/09/1998", ["groomEthnicity"] = "Kinh", ["groomNationality"] = "Việt Nam",
            ["groomAddress"] = "Phường Bắc Ninh, Bắc Ninh", ["groomIdNumber"] = "036098001234", ["groomMarriageCount"] = "1",
            ["wantsCopies"] = "co", ["copyCount"] = "1", ["pledge"] = "dong-y",
        },
        ExtractCode => new()
        {
            ["requesterName"] = "Võ Thị Lan", ["requesterIdNumber"] = "079190000222", ["requesterAddress"] = "Phường Sài Gòn, TP. Hồ Chí Minh",
            ["requesterRelation"] = "ban-than", ["recordKind"] = "ket-hon", ["subjectName"] = "Võ Thị Lan", ["subjectBirthDate"] = "07/07/1990",
            ["subjectIdNumber"] = "079190000222", ["spouseName"] = "Huỳnh Văn Phúc", ["registrationOffice"] = "UBND phường Bến Nghé",
            ["registrationNumber"] = "123", ["registrationDate"] = "14/02/2015", ["purpose"] = "Làm thủ tục vay vốn", ["copyCount"] = "2", ["pledge"] = "dong-y",
        },
        CopyCode => new()
        {
            ["documentName"] = "Bằng tốt nghiệp trung học phổ thông", ["documentNumber"] = "B 0123456", ["documentIssuer"] = "Sở Giáo dục và Đào tạo Hà Nội",
            ["documentIssueDate"] = "2008-07-01", ["documentLanguage"] = "tieng-viet", ["pageCount"] = "1", ["copyForm"] = "giay", ["copyCount"] = "3",
            ["pledge"] = "dong-y",
        },
        BuildingCode => new()
        {
            ["ownerKind"] = "ca-nhan", ["ownerName"] = "Hoàng Văn Sơn", ["ownerIdNumber"] = "001080003333", ["ownerAddress"] = "Số 12 ngõ 5 phố Kim Mã, phường Giảng Võ, Hà Nội",
            ["ownerPhone"] = "0912 345 678", ["plotNumber"] = "Thửa 25, tờ bản đồ 7", ["plotArea"] = "85,5", ["siteAddress"] = "Số 12 ngõ 5 phố Kim Mã, phường Giảng Võ, Hà Nội",
            ["landCertificate"] = "Giấy chứng nhận số CS 123456 cấp ngày 10/3/2020", ["designerKind"] = "don-vi", ["designerName"] = "Công ty TNHH Kiến trúc Việt",
            ["designerLicense"] = "HAN-00012345", ["leadDesigner"] = "KTS. Nguyễn Hà", ["buildingGrade"] = "III", ["groundFloorArea"] = "70",
            ["totalFloorArea"] = "280", ["height"] = "15.6", ["floorsAboveGround"] = "4", ["hasBasement"] = "khong", ["completionMonths"] = "10", ["pledge"] = "dong-y",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    private static readonly string[] AllCodes = [BirthCode, DeathCode, MarriageCode, ExtractCode, CopyCode, BuildingCode];

    public static TheoryData<string> Codes() => [.. AllCodes];

    private static Dictionary<string, string?> With(string code, params (string Key, string? Value)[] changes)
    {
        var values = Valid(code);
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }

        return values;
    }

    private static string Error(EFormResult result, string field)
    {
        Assert.True(result.Errors.TryGetValue(field, out var messages), $"expected an error under '{field}', got: {string.Join("; ", result.Errors.Select(e => e.Key + ": " + e.Value[0]))}");
        return Assert.Single(messages);
    }

    [Fact]
    public void All_shipped_definitions_load_and_each_belongs_to_a_seeded_procedure()
    {
        var seeded = SeedData.Read<JsonElement>("procedures.json").GetProperty("procedures").EnumerateArray()
            .Select(p => p.GetProperty("code").GetString()).ToHashSet();

        Assert.Equal(AllCodes.Order(), Registry.All.Select(f => f.ProcedureCode).Order());
        Assert.All(Registry.All, f => Assert.Contains(f.ProcedureCode, seeded));
        Assert.Null(Registry.Find("1.001612")); // hộ kinh doanh: no e-form, so no e-form step
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void A_complete_form_passes_and_comes_back_trimmed_with_iso_dates(string code)
    {
        var form = Form(code);
        var values = Valid(code);
        values["somethingElse"] = "không có trong tờ khai";

        var result = form.Validate(values, Today);

        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Key + ": " + e.Value[0])));
        Assert.DoesNotContain("somethingElse", result.Values.Keys);
        Assert.All(result.Values.Values, v => Assert.Equal(v.Trim(), v));
        Assert.All(form.Inputs.Where(f => f.Type == "date" && result.Values.ContainsKey(f.Name)), f => Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", result.Values[f.Name]));
        // The normalized values are exactly what the dossier stores and what draws the form again.
        Assert.Equal(result.Values, EFormRegistry.FromJson(result.ToJson()).ToDictionary(kv => kv.Key, kv => kv.Value!));
    }

    [Fact]
    public void Birth_form_normalizes_names_dates_and_numbers()
    {
        var result = Form(BirthCode).Validate(Valid(BirthCode), Today);

        Assert.Equal("Nguyễn Văn An", result.Values["requesterName"]);
        Assert.Equal("2026-11-20", result.Values["childBirthDate"]);
        Assert.Equal("1993-02-01", result.Values["fatherBirthDate"]);
        Assert.Equal("2", result.Values["copyCount"]);
    }

    [Fact]
    public void A_missing_required_field_is_named_with_its_own_message()
    {
        var result = Form(BirthCode).Validate(With(BirthCode, ("childName", "  "), ("childSex", null), ("pledge", "")), Today);

        Assert.Equal("Nhập họ, chữ đệm và tên của người được khai sinh.", Error(result, "childName"));
        Assert.Equal("Chọn giới tính.", Error(result, "childSex"));
        Assert.Equal("Đánh dấu cam đoan những nội dung khai trên là đúng sự thật.", Error(result, "pledge"));
        Assert.False(result.Values.ContainsKey("childName"));
    }

    [Fact]
    public void A_date_that_is_not_a_date_or_is_in_the_future_is_refused()
    {
        var form = Form(BirthCode);

        Assert.Equal("Ngày, tháng, năm sinh: nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/09/2024.", Error(form.Validate(With(BirthCode, ("childBirthDate", "31/02/2026")), Today), "childBirthDate"));
        Assert.Equal("Ngày, tháng, năm sinh không được sau ngày hôm nay.", Error(form.Validate(With(BirthCode, ("childBirthDate", "03/12/2026")), Today), "childBirthDate"));
        Assert.True(form.Validate(With(BirthCode, ("childBirthDate", "02/12/2026")), Today).IsValid, "born today is fine");
    }

    [Fact]
    public void A_death_cannot_come_before_the_birth()
    {
        var result = Form(DeathCode).Validate(With(DeathCode, ("deathDate", "01/01/1939")), Today);

        Assert.Equal("Ngày chết không được trước ngày, tháng, năm sinh của người đã chết.", Error(result, "deathDate"));
    }

    [Fact]
    public void A_bad_citizen_id_is_refused_with_what_is_wrong()
    {
        var form = Form(BirthCode);

        Assert.Equal("Nhập số CCCD gồm 12 chữ số.", Error(form.Validate(With(BirthCode, ("requesterIdNumber", "12345")), Today), "requesterIdNumber"));
        Assert.Contains("mã tỉnh", Error(form.Validate(With(BirthCode, ("requesterIdNumber", "099093004567")), Today), "requesterIdNumber"), StringComparison.Ordinal);
        // The mother's number says born in 1995; a typed birth year of 1996 contradicts it.
        Assert.Contains("năm sinh 1995", Error(form.Validate(With(BirthCode, ("motherBirthDate", "03/04/1996")), Today), "motherIdNumber"), StringComparison.Ordinal);
        // The deceased's number says male.
        Assert.Contains("giới tính", Error(Form(DeathCode).Validate(With(DeathCode, ("deceasedSex", "nu")), Today), "deceasedIdNumber"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_choice_not_in_the_list_is_refused()
    {
        var result = Form(BirthCode).Validate(With(BirthCode, ("requesterRelation", "hang-xom"), ("childSex", "khac")), Today);

        Assert.Equal("Quan hệ với người được khai sinh: chọn một trong các lựa chọn có sẵn.", Error(result, "requesterRelation"));
        Assert.Equal("Giới tính: chọn một trong các lựa chọn có sẵn.", Error(result, "childSex"));
    }

    [Fact]
    public void Too_long_a_value_pattern_and_number_ranges_are_refused()
    {
        var birth = Form(BirthCode).Validate(With(BirthCode, ("childName", new string('A', 101)), ("childEthnicity", "Kinh"), ("copyCount", "0")), Today);
        Assert.Equal("Họ, chữ đệm, tên không được quá 100 ký tự.", Error(birth, "childName"));
        Assert.Equal("Số bản sao phải từ 1 trở lên.", Error(birth, "copyCount"));

        var digits = Form(BirthCode).Validate(With(BirthCode, ("childName", "Nguyễn Văn 2")), Today);
        Assert.Equal("Họ, chữ đệm, tên chỉ gồm chữ cái và khoảng trắng.", Error(digits, "childName"));

        var building = Form(BuildingCode).Validate(With(BuildingCode, ("height", "cao"), ("ownerPhone", "12345")), Today);
        Assert.Equal("Chiều cao công trình (m): nhập một số, ví dụ 120 hoặc 85,5.", Error(building, "height"));
        Assert.Equal("Số điện thoại: nhập số điện thoại gồm 10 chữ số, ví dụ 0912345678.", Error(building, "ownerPhone"));
        Assert.Equal("85.5", Form(BuildingCode).Validate(Valid(BuildingCode), Today).Values["plotArea"]);
    }

    [Fact]
    public void A_conditional_field_is_required_only_when_shown_and_dropped_when_hidden()
    {
        var form = Form(BirthCode);

        // Shown (father known): the father's name is required.
        var shown = form.Validate(With(BirthCode, ("fatherName", "")), Today);
        Assert.Equal("Nhập họ, chữ đệm, tên người cha.", Error(shown, "fatherName"));

        // Hidden (father not known): not required, and whatever was typed is not kept — even a wrong value.
        var hidden = form.Validate(With(BirthCode, ("fatherKnown", "khong"), ("fatherName", "Ai đó"), ("fatherBirthDate", "không rõ")), Today);
        Assert.True(hidden.IsValid, string.Join("; ", hidden.Errors.Keys));
        Assert.DoesNotContain(hidden.Values.Keys, k => k.StartsWith("father", StringComparison.Ordinal) && k != "fatherKnown");

        // A conditional field on a select (marriage extract → the spouse's name).
        var extract = Form(ExtractCode);
        Assert.Equal("Nhập họ, chữ đệm, tên người kia (vợ hoặc chồng).", Error(extract.Validate(With(ExtractCode, ("spouseName", null)), Today), "spouseName"));
        var birthExtract = extract.Validate(With(ExtractCode, ("recordKind", "khai-sinh")), Today);
        Assert.True(birthExtract.IsValid);
        Assert.False(birthExtract.Values.ContainsKey("spouseName"));

        // Building permit: an organisation has a representative instead of a CCCD.
        var organisation = Form(BuildingCode).Validate(With(BuildingCode, ("ownerKind", "to-chuc"), ("ownerIdNumber", "sai")), Today);
        Assert.Equal("Nhập người đại diện.", Error(organisation, "representativeName"));
        Assert.False(organisation.Errors.ContainsKey("ownerIdNumber"));
    }

    [Fact]
    public void Marriage_needs_the_man_to_be_20_and_the_woman_18()
    {
        var form = Form(MarriageCode);

        // Turns 18 tomorrow / 20 tomorrow: too young today.
        var young = form.Validate(With(MarriageCode, ("brideBirthDate", "03/12/2008"), ("brideIdNumber", "036308001111"), ("groomBirthDate", "03/12/2006"), ("groomIdNumber", "036206001234")), Today);
        Assert.Equal("Bên nữ chưa đủ 18 tuổi, chưa đến tuổi kết hôn (Điều 8 Luật Hôn nhân và gia đình).", Error(young, "brideBirthDate"));
        Assert.Equal("Bên nam chưa đủ 20 tuổi, chưa đến tuổi kết hôn (Điều 8 Luật Hôn nhân và gia đình).", Error(young, "groomBirthDate"));

        // Birthdays today: old enough.
        var ofAge = form.Validate(With(MarriageCode, ("brideBirthDate", "02/12/2008"), ("brideIdNumber", "036308001111"), ("groomBirthDate", "02/12/2006"), ("groomIdNumber", "036206001234")), Today);
        Assert.True(ofAge.IsValid, string.Join("; ", ofAge.Errors.Select(e => e.Key + ": " + e.Value[0])));
    }

    [Fact]
    public void A_minimum_age_can_depend_on_a_sex_field()
    {
        var registry = new EFormRegistry([("test.json", """
            { "procedureCode": "9.000001", "title": "Thử", "fields": [
              { "name": "sex", "type": "radio", "label": "Giới tính", "required": true, "choices": [ { "value": "nam", "label": "Nam" }, { "value": "nu", "label": "Nữ" } ] },
              { "name": "birthDate", "type": "date", "label": "Ngày sinh", "required": true,
                "minAge": [ { "years": 20, "ifField": "sex", "ifEquals": "nam" }, { "years": 18, "ifField": "sex", "ifEquals": "nu" } ] } ] }
            """)]);
        var form = registry.Find("9.000001")!;

        Assert.True(form.Validate(new Dictionary<string, string?> { ["sex"] = "nu", ["birthDate"] = "01/01/2007" }, Today).IsValid);
        Assert.Equal("Người có ngày sinh này chưa đủ 20 tuổi.", Error(form.Validate(new Dictionary<string, string?> { ["sex"] = "nam", ["birthDate"] = "01/01/2007" }, Today), "birthDate"));
    }

    [Theory]
    [InlineData("""{ "name": "a", "type": "colour", "label": "A" }""", "unknown type 'colour'")]
    [InlineData("""{ "name": "a", "type": "text", "label": "A", "showIf": { "field": "b", "equals": "x" } }""", "showIf names 'b'")]
    [InlineData("""{ "name": "a", "type": "select", "label": "A" }""", "needs choices")]
    [InlineData("""{ "name": "Bad name", "type": "text", "label": "A" }""", "ASCII camelCase")]
    [InlineData("""{ "name": "a", "type": "text", "label": "A", "minAge": [ { "years": 18 } ] }""", "for date fields")]
    [InlineData("""{ "name": "a", "type": "text", "label": "A", "colour": "red" }""", "not valid JSON for an e-form")]
    public void A_broken_definition_stops_loading_with_a_message_naming_the_file(string field, string expected)
    {
        var json = $$"""{ "procedureCode": "9.000001", "title": "Thử", "fields": [ {{field}} ] }""";

        var error = Assert.Throws<InvalidOperationException>(() => new EFormRegistry([("hong.json", json)]));

        Assert.Contains("hong.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Posted_form_values_are_read_by_their_prefix_and_errors_go_under_the_posted_names()
    {
        var posted = new Microsoft.AspNetCore.Http.FormCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["f.childName"] = "Nguyễn Minh Khôi",
            ["f.pledge"] = new(["dong-y", ""]),
            ["Applicant.FullName"] = "không thuộc tờ khai",
        });

        var values = EFormRegistry.FromForm(posted);
        Assert.Equal(2, values.Count);
        Assert.Equal("dong-y", values["pledge"]);

        var modelState = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary();
        EFormRegistry.AddErrors(Form(BirthCode).Validate(values, Today), modelState);
        Assert.Equal("Nhập ngày, tháng, năm sinh của người được khai sinh.", modelState["f.childBirthDate"]!.Errors[0].ErrorMessage);

        var view = new EFormView(Form(BirthCode), new Dictionary<string, string?> { ["childBirthDate"] = "2026-11-20" });
        var birth = view.Fields.Single(f => f.Name == "f.childBirthDate");
        Assert.Equal("20/11/2026", birth.Value);
        var problem = EFormRegistry.ToProblem(Form(BirthCode).Validate(values, Today));
        Assert.Equal(400, problem.StatusCode);
        Assert.Contains("childBirthDate", problem.ProblemDetails.Errors.Keys);

        Assert.Contains("Chỉ điền nếu khai thông tin người cha là “Có, khai thông tin người cha”.", view.Fields.Single(f => f.Name == "f.fatherName").Hint, StringComparison.Ordinal);
    }
}

/// <summary>The procedure API's components and the e-form API, on both databases.</summary>
public abstract class EFormApiTests(PortalFixture portal)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<JsonElement> GetJsonAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task A_procedure_lists_its_document_components_with_ids()
    {
        var p = await GetJsonAsync("/api/v1/procedures/1.001193");

        var components = p.GetProperty("components").EnumerateArray().ToList();
        Assert.True(components.Count >= 3);
        Assert.Equal(components.Count, components.Select(c => c.GetProperty("id").GetInt32()).Distinct().Count());
        var form = components[0];
        Assert.StartsWith("Tờ khai đăng ký khai sinh", form.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.True(form.GetProperty("required").GetBoolean());
        Assert.True(form.GetProperty("originals").GetInt32() >= 0);
        Assert.True(form.GetProperty("copies").GetInt32() >= 0);
        Assert.True(form.TryGetProperty("note", out _));
        Assert.Contains(components, c => c.GetProperty("templateUrl").ValueKind == JsonValueKind.String && c.GetProperty("templateUrl").GetString()!.StartsWith("/mau-don/", StringComparison.Ordinal));
        Assert.Contains(components, c => !c.GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task The_eform_of_a_procedure_describes_its_fields_for_another_client()
    {
        var form = await GetJsonAsync("/api/v1/procedures/1.000894/eform");

        Assert.Equal("1.000894", form.GetProperty("procedureCode").GetString());
        Assert.Equal("Tờ khai đăng ký kết hôn", form.GetProperty("title").GetString());
        var fields = form.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        var bride = fields["brideName"];
        Assert.Equal("Họ, chữ đệm, tên bên nữ", bride.GetProperty("label").GetString());
        Assert.Equal("text", bride.GetProperty("type").GetString());
        Assert.True(bride.GetProperty("required").GetBoolean());
        Assert.Equal(100, bride.GetProperty("maxLength").GetInt32());
        var count = fields["brideMarriageCount"].GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(("1", "Lần thứ nhất"), (count[0].GetProperty("value").GetString(), count[0].GetProperty("label").GetString()));
        var copies = fields["copyCount"];
        Assert.Equal("number", copies.GetProperty("type").GetString());
        Assert.Equal(1, copies.GetProperty("min").GetDecimal());
        Assert.Equal("wantsCopies", copies.GetProperty("showIf").GetProperty("field").GetString());
        Assert.Equal("co", copies.GetProperty("showIf").GetProperty("equals").GetString());
        Assert.Equal("section", fields["bride"].GetProperty("type").GetString());
        Assert.False(bride.TryGetProperty("hasValue", out _));
    }

    [Theory]
    [InlineData("1.001612")] // exists, but has no e-form
    [InlineData("9.999999")] // does not exist
    public async Task A_procedure_without_an_eform_gets_404_problem_details(string code)
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri($"/api/v1/procedures/{code}/eform", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Thủ tục không có tờ khai điện tử", problem.GetProperty("title").GetString());
        Assert.Contains(code, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_eform_endpoint()
    {
        var document = await GetJsonAsync("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/procedures/{code}/eform", out var path));
        var responses = path.GetProperty("get").GetProperty("responses");
        Assert.True(responses.TryGetProperty("200", out _));
        Assert.True(responses.TryGetProperty("404", out _));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class EFormApiTestsOnSqlite(SqlitePortal portal) : EFormApiTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class EFormApiTestsOnPostgreSql(PostgresPortal portal) : EFormApiTests(portal);

/// <summary>The e-form partial as the wizard page draws it, rendered by the portal's own view engine.</summary>
[Collection(SqliteCollection.Name)]
public sealed class EFormPartialTests(SqlitePortal portal)
{
    [Fact]
    public async Task The_partial_draws_every_field_with_its_value_error_and_the_condition_as_a_hint()
    {
        var form = EFormRegistry.LoadEmbedded().Find(EFormTests.BirthCode)!;
        var values = new Dictionary<string, string?> { ["childName"] = "Nguyễn Minh Khôi", ["childBirthDate"] = "2026-11-20", ["childSex"] = "nam", ["pledge"] = "dong-y" };
        var modelState = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary();
        EFormRegistry.AddErrors(form.Validate(values), modelState);

        var html = await RenderAsync("/Modules/Dossiers/EForms/_EFormFields.cshtml", new EFormView(form, values), modelState);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);

        Assert.Contains(document.QuerySelectorAll("h2"), h => h.TextContent == "Người được khai sinh");
        Assert.Equal("Nguyễn Minh Khôi", document.QuerySelector("#ef-childName")!.GetAttribute("value"));
        Assert.Equal("20/11/2026", document.QuerySelector("#ef-childBirthDate")!.GetAttribute("value"));
        Assert.Equal("nam", document.QuerySelector("input[name='f.childSex'][checked]")!.GetAttribute("value"));
        Assert.NotNull(document.QuerySelector("input[name='f.pledge'][type=checkbox][checked]"));
        Assert.Equal(string.Empty, document.QuerySelector("select[name='f.requesterRelation'] option")!.GetAttribute("value"));
        // Without script every field is there; a conditional one says when to fill it.
        Assert.Contains("Chỉ điền nếu khai thông tin người cha là", document.QuerySelector("#ef-fatherName-hint")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Nhập họ, chữ đệm và tên của người yêu cầu.", document.QuerySelector("#ef-requesterName-error")!.TextContent);
        Assert.Null(document.QuerySelector("#ef-childName-error"));
    }

    private async Task<string> RenderAsync(string path, object model, Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var action = new Microsoft.AspNetCore.Mvc.ActionContext(http, new Microsoft.AspNetCore.Routing.RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor(), modelState);
        var engine = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Mvc.Razor.IRazorViewEngine>();
        var view = engine.GetView(null, path, isMainPage: false).EnsureSuccessful(null).View!;
        await using var writer = new StringWriter();
        var viewData = new Microsoft.AspNetCore.Mvc.ViewFeatures.ViewDataDictionary(new Microsoft.AspNetCore.Mvc.ModelBinding.EmptyModelMetadataProvider(), modelState) { Model = model };
        var tempData = new Microsoft.AspNetCore.Mvc.ViewFeatures.TempDataDictionary(http, scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataProvider>());
        var context = new Microsoft.AspNetCore.Mvc.Rendering.ViewContext(action, view, viewData, tempData, writer, new Microsoft.AspNetCore.Mvc.ViewFeatures.HtmlHelperOptions());
        await view.RenderAsync(context);
        return writer.ToString();
    }
}
