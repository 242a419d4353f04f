using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Dossiers.EForms;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Dossiers;

public abstract class SubmitDossierTests(PortalFixture portal)
{
    private async Task<ProcedureEntry> OnlineProcedureAsync(bool severalAgencies = false)
    {
        var snapshot = await portal.Services.GetRequiredService<CatalogIndex>().GetAsync(default);
        var eforms = portal.Services.GetRequiredService<EFormRegistry>();
        return snapshot.Procedures.First(p => p.OnlineLevel != OnlineLevel.None && eforms.Find(p.Code) is null && (severalAgencies ? p.AgencyIds.Length > 1 : p.AgencyIds.Length == 1));
    }

    private async Task<(HttpClient Browser, NewCitizen Person)> SignedInCitizenAsync(bool verified = true)
    {
        var person = NewCitizen.Make();
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = person.CitizenId, CitizenId = person.CitizenId, FullName = "Ngô Văn Khánh", Kind = AccountKind.Citizen, BirthDate = new DateOnly(1995, 4, 1), Sex = Sex.Male, Email = person.Email, EmailConfirmed = verified, PhoneNumber = person.Phone, PhoneNumberConfirmed = verified, Address = "Thôn Bắc, xã Yên Lạc, tỉnh Nam Hà" };
            Assert.True((await users.CreateAsync(user, person.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Citizen)).Succeeded);
        }

        var browser = portal.CreateClient();
        var signIn = await browser.GetPageAsync("/dang-nhap");
        using var signedIn = await browser.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.CitizenId, ["Password"] = person.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (browser, person);
    }

    /// <summary>Starts a draft and fills every step; returns the review page.</summary>
    private static async Task<IDocument> FilledDraftAsync(HttpClient browser, ProcedureEntry procedure)
    {
        var start = await browser.GetPageAsync("/nop-ho-so?thu-tuc=" + procedure.Code);
        using var started = await browser.SubmitAsync(start, "#bat-dau", new Dictionary<string, string>());
        var applicant = await browser.FollowAsync(started);
        using var prefilled = await browser.SubmitAsync(applicant, "#dien-san", new Dictionary<string, string>());
        var filled = await browser.FollowAsync(prefilled);
        Assert.Equal("Ngô Văn Khánh", filled.QuerySelector("#ho-ten")?.GetAttribute("value"));
        using var next = await browser.SubmitAsync(filled, "#buoc", new Dictionary<string, string> { ["Then"] = "tiep" });
        var delivery = await AttachRequiredAsync(browser, await browser.FollowAsync(next));
        using var chosen = await browser.SubmitAsync(delivery, "#buoc", new Dictionary<string, string> { ["Delivery"] = "at_desk", ["Then"] = "tiep" });
        return await browser.FollowAsync(chosen);
    }

    /// <summary>On the files step, uploads a small PDF for every required component, then moves on.</summary>
    private static async Task<IDocument> AttachRequiredAsync(HttpClient browser, IDocument page)
    {
        Assert.Equal("Giấy tờ kèm theo", page.QuerySelector("h1").Text());
        foreach (var section in page.QuerySelectorAll("section.component").Where(s => s.QuerySelector("h2 .required") is not null).ToList())
        {
            using var uploaded = await UploadAsync(browser, page, section.Id!, "giay-to.pdf", SampleFiles.Pdf());
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        page = await browser.GetPageAsync(new Uri(page.Url).PathAndQuery);
        using var next = await browser.SubmitAsync(page, "#buoc", new Dictionary<string, string> { ["Then"] = "tiep" });
        return await browser.FollowAsync(next);
    }

    /// <summary>Posts a file with the upload form of a component, as a browser does.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient browser, IDocument page, string sectionId, string fileName, byte[] bytes)
    {
        var form = page.QuerySelector($"#{sectionId} form.upload")!;
        using var content = new MultipartFormDataContent();
        foreach (var hidden in form.QuerySelectorAll("input[type=hidden]"))
        {
            content.Add(new StringContent(hidden.GetAttribute("value") ?? string.Empty), hidden.GetAttribute("name")!);
        }

        var file = new ByteArrayContent(bytes);
        content.Add(file, "files", fileName);
        return await browser.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), content);
    }

    private static Guid DossierIdOf(IDocument page) => Guid.Parse(Regex.Match(page.Url, "/nop-ho-so/([0-9a-f-]{36})/").Groups[1].Value);

    [Fact]
    public async Task A_citizen_fills_the_steps_submits_and_gets_a_code_by_page_email_and_sms_then_finds_it_in_my_dossiers()
    {
        var (browser, person) = await SignedInCitizenAsync();
        using var _ = browser;
        var procedure = await OnlineProcedureAsync();

        var review = await FilledDraftAsync(browser, procedure);
        Assert.Equal("Kiểm tra lại và gửi", review.QuerySelector("h1").Text());
        Assert.Null(review.QuerySelector(".error-summary"));
        Assert.Contains("Nhận trực tiếp tại Bộ phận Một cửa", review.QuerySelector("main").Text(), StringComparison.Ordinal);

        using var sent = await browser.SubmitAsync(review, "#gui-di", new Dictionary<string, string>());
        var done = await browser.FollowAsync(sent);
        var code = done.QuerySelector("#ma-ho-so").Text();
        string agencyCode;
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            agencyCode = await db.Agencies.Where(a => a.Id == procedure.AgencyIds[0]).Select(a => a.Code).SingleAsync();
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Recipient == person.Email && m.Purpose == "nop-ho-so" && m.Body.Contains(code)));
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Recipient == person.Phone && m.Purpose == "nop-ho-so" && m.Body.Contains(code)));
        }

        Assert.Matches("^" + Regex.Escape(agencyCode) + @"-\d{6}-\d{4}$", code);
        var mine = await browser.GetPageAsync("/ho-so-cua-toi");
        Assert.Contains(code, mine.QuerySelector("table").Text(), StringComparison.Ordinal);
        Assert.Contains("Mới nộp, chờ tiếp nhận 1", Regex.Replace(mine.QuerySelector(".status-tabs").Text(), @"\s+", " "), StringComparison.Ordinal);

        var detail = await browser.GetPageAsync("/ho-so-cua-toi/" + DossierIdOf(done));
        Assert.Equal("Mới nộp, chờ tiếp nhận", detail.QuerySelector("#trang-thai").Text());
        using var withdrawn = await browser.SubmitAsync(detail, "#rut-ho-so", new Dictionary<string, string> { ["Reason"] = "Nộp nhầm thủ tục" });
        var after = await browser.FollowAsync(withdrawn);
        Assert.Equal("Công dân rút hồ sơ", after.QuerySelector("#trang-thai").Text());
        Assert.Contains("Nộp nhầm thủ tục", after.QuerySelector(".timeline").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_birth_registration_e_form_is_explained_kept_when_wrong_and_shown_on_the_review_page()
    {
        var (browser, _) = await SignedInCitizenAsync();
        using var _b = browser;
        var start = await browser.GetPageAsync("/nop-ho-so?thu-tuc=" + EFormTests.BirthCode);
        using var started = await browser.SubmitAsync(start, "#bat-dau", start.QuerySelector("#co-quan input") is { } first ? new Dictionary<string, string> { ["AgencyId"] = first.GetAttribute("value")! } : []);
        var applicant = await browser.FollowAsync(started);
        using var prefilled = await browser.SubmitAsync(applicant, "#dien-san", new Dictionary<string, string>());
        using var next = await browser.SubmitAsync(await browser.FollowAsync(prefilled), "#buoc", new Dictionary<string, string> { ["Then"] = "tiep" });
        var eform = await browser.FollowAsync(next);
        Assert.Equal("Tờ khai", eform.QuerySelector("h1").Text());

        var values = EFormTests.Valid(EFormTests.BirthCode).ToDictionary(v => "f." + v.Key, v => v.Value ?? string.Empty);
        values["f.childBirthDate"] = "31/02/2026";
        values["Then"] = "tiep";
        using var wrong = await browser.SubmitAsync(eform, "#buoc", values);
        var page = await Html.ParseAsync(wrong);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.NotNull(page.QuerySelector("#ef-childBirthDate-error"));
        Assert.Equal("Nguyễn Minh Khôi", page.QuerySelector("#ef-childName")?.GetAttribute("value"));

        values["f.childBirthDate"] = "20/11/2026";
        using var right = await browser.SubmitAsync(page, "#buoc", values);
        var files = await browser.FollowAsync(right);
        Assert.Contains("Đã thay bằng tờ khai điện tử", files.QuerySelector("main").Text(), StringComparison.Ordinal);
        var delivery = await AttachRequiredAsync(browser, files);
        using var chosen = await browser.SubmitAsync(delivery, "#buoc", new Dictionary<string, string> { ["Delivery"] = "online", ["Then"] = "tiep" });
        var review = await browser.FollowAsync(chosen);
        Assert.Contains("Nguyễn Minh Khôi", review.QuerySelector("main").Text(), StringComparison.Ordinal);
        Assert.Contains("20/11/2026", review.QuerySelector("main").Text(), StringComparison.Ordinal);

        using var sent = await browser.SubmitAsync(review, "#gui-di", new Dictionary<string, string>());
        Assert.Matches(@"-\d{6}-\d{4}$", (await browser.FollowAsync(sent)).QuerySelector("#ma-ho-so").Text());
    }

    [Fact]
    public async Task A_client_app_builds_and_sends_a_dossier_through_the_api_once_per_idempotency_key()
    {
        var (browser, person) = await SignedInCitizenAsync();
        using var _b = browser;
        using var tokenAnswer = await browser.PostAsJsonAsync("/api/v1/auth/token", new { userName = person.CitizenId, password = person.Password });
        var token = (await tokenAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using var api = portal.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var procedure = await OnlineProcedureAsync();

        using var created = await api.PostAsJsonAsync("/api/v1/dossiers", new { procedureCode = procedure.Code });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        var id = draft.GetProperty("id").GetString();

        using var bad = await api.PutAsJsonAsync($"/api/v1/dossiers/{id}/applicant", new { fullName = "", identityNumber = "123", phone = "0987654321", address = "Xã Yên Lạc" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Nhập số CCCD gồm 12 chữ số.", problem.GetProperty("errors").GetProperty("identityNumber")[0].GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("fullName", out _));

        using var early = await api.PostAsync(new Uri($"/api/v1/dossiers/{id}/submit", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);

        // The CCCD as grouped on the card: the API tidies it as the page does.
        var grouped = string.Join(' ', person.CitizenId.Chunk(3).Select(c => new string(c)));
        using var applicant = await api.PutAsJsonAsync($"/api/v1/dossiers/{id}/applicant", new { fullName = "Ngô Văn Khánh", identityNumber = grouped, birthDate = "1995-04-01", phone = person.Phone, address = "Xã Yên Lạc, tỉnh Nam Hà" });
        Assert.Equal(HttpStatusCode.OK, applicant.StatusCode);
        Assert.Equal(person.CitizenId, (await applicant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applicant").GetProperty("identityNumber").GetString());
        using var delivery = await api.PutAsJsonAsync($"/api/v1/dossiers/{id}/delivery", new { method = "post", address = "Số 1 Trần Hưng Đạo, tỉnh Nam Hà" });
        Assert.Equal(HttpStatusCode.OK, delivery.StatusCode);
        var described = await api.GetFromJsonAsync<JsonElement>($"/api/v1/procedures/{procedure.Code}");
        foreach (var component in described.GetProperty("components").EnumerateArray().Where(c => c.GetProperty("required").GetBoolean()))
        {
            using var content = new MultipartFormDataContent
            {
                { new StringContent(component.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)), "componentId" },
                { new ByteArrayContent(SampleFiles.Pdf()), "file", "giay-to.pdf" },
            };
            using var uploaded = await api.PostAsync(new Uri($"/api/v1/dossiers/{id}/files", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        using var exe = new MultipartFormDataContent
        {
            { new StringContent(described.GetProperty("components")[0].GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)), "componentId" },
            { new ByteArrayContent(SampleFiles.Exe()), "file", "hop-dong.pdf" },
        };
        using var refused = await api.PostAsync(new Uri($"/api/v1/dossiers/{id}/files", UriKind.Relative), exe);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("hop-dong.pdf", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);

        var sends = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dossiers/{id}/submit");
            request.Headers.Add("Idempotency-Key", "lan-gui-1");
            using var sent = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            return (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
        }));
        Assert.Single(sends.Distinct());
        Assert.NotNull(sends[0]);

        var mine = await api.GetFromJsonAsync<JsonElement>($"/api/v1/dossiers/{id}");
        Assert.Equal(sends[0], mine.GetProperty("code").GetString());
        Assert.Equal("submitted", mine.GetProperty("status").GetString());
        var listed = await api.GetFromJsonAsync<JsonElement>("/api/v1/dossiers?status=submitted");
        Assert.Contains(listed.EnumerateArray(), d => d.GetProperty("id").GetString() == id);

        using var anonymous = portal.CreateClient();
        using var look = await anonymous.GetAsync(new Uri($"/api/v1/dossiers/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, look.StatusCode);
        var (other, stranger) = await SignedInCitizenAsync();
        using var _o = other;
        using var otherToken = await other.PostAsJsonAsync("/api/v1/auth/token", new { userName = stranger.CitizenId, password = stranger.Password });
        using var strangerApi = portal.CreateClient();
        strangerApi.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (await otherToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        using var peek = await strangerApi.GetAsync(new Uri($"/api/v1/dossiers/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        using var pull = await strangerApi.PostAsJsonAsync($"/api/v1/dossiers/{id}/withdraw", new { reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, pull.StatusCode);

        using var withdrawn = await api.PostAsJsonAsync($"/api/v1/dossiers/{id}/withdraw", new { reason = "Nộp nhầm" });
        Assert.Equal("withdrawn", (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    private async Task<HttpClient> ApiAsync(NewCitizen person)
    {
        using var anonymous = portal.CreateClient();
        using var tokenAnswer = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { userName = person.CitizenId, password = person.Password });
        var api = portal.CreateClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (await tokenAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return api;
    }

    private static MultipartFormDataContent WholeDossier(object dossier, params (string Part, string FileName, byte[] Bytes)[] files)
    {
        var content = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(dossier, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json"), "dossier" } };
        foreach (var (part, fileName, bytes) in files)
        {
            content.Add(new ByteArrayContent(bytes), part, fileName);
        }

        return content;
    }

    [Fact]
    public async Task A_kiosk_sends_a_whole_dossier_in_one_call_once_per_key_and_a_refused_call_leaves_nothing_behind()
    {
        var (browser, person) = await SignedInCitizenAsync();
        using var _b = browser;
        using var api = await ApiAsync(person);
        var snapshot = await portal.Services.GetRequiredService<CatalogIndex>().GetAsync(default);
        var birth = snapshot.Procedures.Single(p => p.Code == "1.001193");
        var commune = snapshot.Agencies.Find(birth.AgencyIds[0])!;
        var components = (await api.GetFromJsonAsync<JsonElement>("/api/v1/procedures/1.001193")).GetProperty("components").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetInt32(), Name: c.GetProperty("name").GetString()!, Required: c.GetProperty("required").GetBoolean())).ToList();
        var paper = components.First(c => c.Required && !c.Name.StartsWith("Tờ khai", StringComparison.Ordinal));
        var applicant = new { fullName = "Ngô Văn Khánh", identityNumber = person.CitizenId, birthDate = "1995-04-01", phone = person.Phone, address = "Xã Yên Lạc, tỉnh Nam Hà" };
        var eform = new Dictionary<string, string>
        {
            ["requesterName"] = "Ngô Văn Khánh", ["requesterIdNumber"] = person.CitizenId, ["requesterAddress"] = "Xã Yên Lạc", ["requesterRelation"] = "cha",
            ["childName"] = "Ngô Minh An", ["childBirthDate"] = "2026-11-20", ["childSex"] = "nam", ["childEthnicity"] = "Kinh", ["childNationality"] = "Việt Nam",
            ["childBirthPlace"] = "Trạm y tế xã Yên Lạc", ["childHometown"] = "Xã Yên Lạc, tỉnh Nam Hà",
            ["motherName"] = "Trần Thị Hoa", ["motherBirthDate"] = "1997-02-03", ["motherEthnicity"] = "Kinh", ["motherNationality"] = "Việt Nam", ["motherAddress"] = "Xã Yên Lạc",
            ["fatherKnown"] = "khong", ["wantsCopies"] = "co", ["copyCount"] = "2", ["pledge"] = "dong-y",
        };
        var store = portal.Services.GetRequiredService<Web.Common.Storage.IFileStore>();
        async Task<int> StoredCountAsync() => await store.ListAsync("dossiers/", default).CountAsync();
        var storedBefore = await StoredCountAsync();

        // Everything wrong at once: the answer names each problem under the name the client used, and nothing is kept.
        using var wrong = await api.PostAsync(new Uri("/api/v1/dossiers/submit", UriKind.Relative), WholeDossier(
            new { procedureCode = "1.001193", agencyCode = commune.Code, applicant = applicant with { }, eform = new Dictionary<string, string>(eform) { ["childName"] = "" }, delivery = new { method = "post" } },
            ($"component-{paper.Id}", "giay-chung-sinh.pdf", SampleFiles.Exe()),
            ("component-999999", "la.pdf", SampleFiles.Pdf())));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var errors = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("giay-chung-sinh.pdf", errors.GetProperty($"component-{paper.Id}")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("component-999999", out _));
        Assert.Equal("Nhập họ, chữ đệm và tên của người được khai sinh.", errors.GetProperty("childName")[0].GetString());
        Assert.Equal("Nhập địa chỉ nhận kết quả qua bưu chính", errors.GetProperty("delivery.address")[0].GetString());
        Guid ownerId;
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            ownerId = (await db.Users.SingleAsync(u => u.UserName == person.CitizenId)).Id;
            Assert.Equal(0, await db.Dossiers.CountAsync(d => d.OwnerId == ownerId));
        }

        Assert.Equal(storedBefore, await StoredCountAsync());

        // Right, sent three times at once with one key: one dossier, one code, the same answer.
        var sends = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dossiers/submit")
            {
                Content = WholeDossier(
                    new { procedureCode = "1.001193", agencyCode = commune.Code, applicant, eform, delivery = new { method = "online" } },
                    ($"component-{paper.Id}", "giay-chung-sinh.pdf", SampleFiles.Pdf(2048))),
            };
            request.Headers.Add("Idempotency-Key", "quay-1");
            using var sent = await api.SendAsync(request);
            Assert.True(sent.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{sent.StatusCode}: {await sent.Content.ReadAsStringAsync()}");
            return await sent.Content.ReadFromJsonAsync<JsonElement>();
        }));
        Assert.Single(sends.Select(s => s.GetProperty("id").GetString()).Distinct());
        var code = sends[0].GetProperty("code").GetString()!;
        Assert.Matches("^" + Regex.Escape(commune.Code) + @"-\d{6}-\d{4}$", code);
        Assert.All(sends, s => Assert.Equal("submitted", s.GetProperty("status").GetString()));
        Assert.Equal("giay-chung-sinh.pdf", sends[0].GetProperty("files")[0].GetProperty("fileName").GetString());

        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var dossier = await db.Dossiers.Include(d => d.Files).SingleAsync(d => d.OwnerId == ownerId);
            Assert.Equal(code, dossier.Code);
            Assert.Equal("Ngô Minh An", EFormRegistry.FromJson(dossier.EFormJson)["childName"]);
            Assert.Equal(2048, Scoped.ReadAll(store.OpenRead(Assert.Single(dossier.Files).StoragePath)).Length);
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Recipient == person.Email && m.Purpose == "nop-ho-so" && m.Body.Contains(code)));
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Recipient == person.Phone && m.Purpose == "nop-ho-so" && m.Body.Contains(code)));
        }

        var mine = await browser.GetPageAsync("/ho-so-cua-toi");
        Assert.Contains(code, mine.Body!.TextContent, StringComparison.Ordinal);

        // The filed paper is in the personal data store; its owner says until when it is valid, and an expired one is no longer offered.
        const string validity = "#kho form[action*=\"handler=Validity\"]";
        Assert.Contains("Không thời hạn", mine.QuerySelector(validity)!.TextContent, StringComparison.Ordinal);
        using var typo = await browser.SubmitAsync(mine, validity, new Dictionary<string, string> { ["validUntil"] = "31/02/2030" });
        var refused = await Html.ParseAsync(typo);
        Assert.Contains("ngày/tháng/năm", refused.QuerySelector("#kho .field-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("31/02/2030", refused.QuerySelector(validity + " input[name=validUntil]")!.GetAttribute("value"));
        using var saved = await browser.SubmitAsync(refused, validity, new Dictionary<string, string> { ["validUntil"] = "31/12/2030" });
        var after = await browser.FollowAsync(saved);
        Assert.Contains("Đã lưu: giấy tờ có hiệu lực đến 31/12/2030.", after.QuerySelector(".notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Đến 31/12/2030", after.QuerySelector(validity)!.TextContent, StringComparison.Ordinal);
        using var expired = await browser.SubmitAsync(after, validity, new Dictionary<string, string> { ["validUntil"] = "01/01/2020" });
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        await using var offers = portal.Services.CreateAsyncScope();
        Assert.Empty(await offers.ServiceProvider.GetRequiredService<Web.Modules.Dossiers.PersonalStore.PersonalDocuments>().OffersAsync(ownerId, paper.Name, default));
    }

    [Fact]
    public async Task Anyone_with_the_code_sees_where_a_dossier_is_with_the_applicants_name_masked()
    {
        var (browser, person) = await SignedInCitizenAsync();
        using var _b = browser;
        using var api = await ApiAsync(person);
        var procedure = await OnlineProcedureAsync();
        var components = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/procedures/{procedure.Code}")).GetProperty("components").EnumerateArray()
            .Where(c => c.GetProperty("required").GetBoolean()).Select(c => ($"component-{c.GetProperty("id").GetInt32()}", "giay-to.pdf", SampleFiles.Pdf())).ToArray();
        using var sent = await api.PostAsync(new Uri("/api/v1/dossiers/submit", UriKind.Relative), WholeDossier(
            new { procedureCode = procedure.Code, applicant = new { fullName = "Ngô Văn Khánh", identityNumber = person.CitizenId, birthDate = "1995-04-01", phone = person.Phone, address = "Thôn Bắc, xã Yên Lạc" }, delivery = new { method = "at_desk" } },
            components));
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var code = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

        using var stranger = portal.CreateClient();
        var found = await stranger.GetPageAsync("/tra-cuu?ma=" + Uri.EscapeDataString(" " + code.ToLowerInvariant() + " "));
        Assert.Equal(code, found.QuerySelector("#ma-ho-so")!.TextContent);
        Assert.Equal("Ngô V** K**", found.QuerySelector("#nguoi-nop")!.TextContent);
        Assert.Equal("Mới nộp, chờ tiếp nhận", found.QuerySelector("#trang-thai")!.TextContent.Trim());
        Assert.Contains(procedure.Name, found.QuerySelector("#ket-qua")!.TextContent, StringComparison.Ordinal);
        var text = found.Body!.TextContent;
        Assert.DoesNotContain("Ngô Văn Khánh", text, StringComparison.Ordinal);
        Assert.DoesNotContain(person.CitizenId, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Thôn Bắc", text, StringComparison.Ordinal);
        Assert.DoesNotContain("giay-to.pdf", text, StringComparison.Ordinal);

        var missing = await stranger.GetPageAsync("/tra-cuu?ma=000.00.00.H99-991231-9999");
        Assert.Null(missing.QuerySelector("#ket-qua"));
        Assert.Contains("Không tìm thấy hồ sơ có mã “000.00.00.H99-991231-9999”", missing.QuerySelector(".error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("000.00.00.H99-991231-9999", missing.QuerySelector("#ma")!.GetAttribute("value"));

        // The same for programs, and only so often per client: codes follow a pattern, so guessing is slowed down.
        var viaApi = await stranger.GetFromJsonAsync<JsonElement>("/api/v1/lookup/" + Uri.EscapeDataString(code));
        Assert.Equal("Ngô V** K**", viaApi.GetProperty("applicantMasked").GetString());
        Assert.Equal("submitted", viaApi.GetProperty("status").GetString());
        Assert.Equal("Mới nộp, chờ tiếp nhận", viaApi.GetProperty("statusText").GetString());
        Assert.DoesNotContain("Khánh", viaApi.GetRawText(), StringComparison.Ordinal);
        using var unknown = await stranger.GetAsync(new Uri("/api/v1/lookup/000.00.00.H99-991231-9999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        await using var strict = new PortalFactory(portal.Factory.Provider, portal.Factory.ConnectionString, new Dictionary<string, string?> { ["RateLimits:LookupPerMinute"] = "3" });
        using var guesser = strict.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var guess = await guesser.GetAsync(new Uri($"/api/v1/lookup/000.00.00.H99-991231-{i:0000}", UriKind.Relative));
            answers.Add(guess.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task Pressing_start_twice_opens_one_draft()
    {
        var (browser, person) = await SignedInCitizenAsync();
        using var _b = browser;
        var procedure = await OnlineProcedureAsync();
        var start = await browser.GetPageAsync("/nop-ho-so?thu-tuc=" + procedure.Code);

        var places = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var started = await browser.SubmitAsync(start, "#bat-dau", new Dictionary<string, string>());
            return started.Headers.Location?.OriginalString;
        }));
        using var again = await browser.SubmitAsync(start, "#bat-dau", new Dictionary<string, string>());
        Assert.Single(places.Append(again.Headers.Location?.OriginalString).Distinct());
        Assert.StartsWith("/nop-ho-so/", places[0], StringComparison.Ordinal);

        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ownerId = (await db.Users.SingleAsync(u => u.UserName == person.CitizenId)).Id;
        Assert.Equal(1, await db.Dossiers.CountAsync(d => d.OwnerId == ownerId));

        // Showing the form again is a new start: a person may keep two drafts of one procedure on purpose.
        var fresh = await browser.GetPageAsync("/nop-ho-so?thu-tuc=" + procedure.Code);
        using var second = await browser.SubmitAsync(fresh, "#bat-dau", new Dictionary<string, string>());
        Assert.NotEqual(places[0], second.Headers.Location?.OriginalString);
        Assert.Equal(2, await db.Dossiers.CountAsync(d => d.OwnerId == ownerId));
    }

    [Fact]
    public async Task A_renamed_program_is_refused_by_name_a_file_can_be_removed_and_filed_documents_are_offered_next_time()
    {
        var (browser, _) = await SignedInCitizenAsync();
        using var _b = browser;
        var procedure = await OnlineProcedureAsync();
        var start = await browser.GetPageAsync("/nop-ho-so?thu-tuc=" + procedure.Code);
        using var started = await browser.SubmitAsync(start, "#bat-dau", new Dictionary<string, string>());
        var draftId = DossierIdOf(await browser.FollowAsync(started));
        var files = await browser.GetPageAsync($"/nop-ho-so/{draftId}/giay-to");
        var section = files.QuerySelectorAll("section.component").First(s => s.QuerySelector("form.upload") is not null).Id!;

        using var exe = await UploadAsync(browser, files, section, "to-khai.pdf", SampleFiles.Exe());
        var refused = await Html.ParseAsync(exe);
        Assert.Equal(HttpStatusCode.OK, exe.StatusCode);
        Assert.Contains("to-khai.pdf", refused.QuerySelector($"#{section} .field-error").Text(), StringComparison.Ordinal);
        Assert.Contains("to-khai.pdf", refused.QuerySelector(".error-summary").Text(), StringComparison.Ordinal);

        using var ok = await UploadAsync(browser, files, section, "ban-chup.png", SampleFiles.Png());
        var after = await browser.FollowAsync(ok);
        Assert.Contains("ban-chup.png", after.QuerySelector($"#{section} .file-list").Text(), StringComparison.Ordinal);
        using var removed = await browser.SubmitAsync(after, $"#{section} .file-list form", new Dictionary<string, string>());
        Assert.Null((await browser.FollowAsync(removed)).QuerySelector($"#{section} .file-list"));

        // A submitted dossier's files go to the data store and are offered in the next dossier.
        var review = await FilledDraftAsync(browser, procedure);
        using var sent = await browser.SubmitAsync(review, "#gui-di", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var again = await browser.GetPageAsync($"/nop-ho-so/{draftId}/giay-to");
        var offer = again.QuerySelector("form.reuse");
        Assert.NotNull(offer);
        using var reused = await browser.SubmitAsync(again, "form.reuse", new Dictionary<string, string>());
        Assert.Contains("kho dữ liệu", (await browser.FollowAsync(reused)).QuerySelector(".notice").Text(), StringComparison.Ordinal);

        // The store is listed in my dossiers; its files and the dossier's files download for the owner only.
        var mine = await browser.GetPageAsync("/ho-so-cua-toi");
        var link = mine.QuerySelector("#kho a")!.GetAttribute("href")!;
        using var download = await browser.GetAsync(new Uri(link, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(SampleFiles.Pdf(), await download.Content.ReadAsByteArrayAsync());
        var submittedId = DossierIdOf(review);
        var detail = await browser.GetPageAsync($"/ho-so-cua-toi/{submittedId}");
        var fileLink = detail.QuerySelector($"a[href^='/ho-so-cua-toi/{submittedId}/tep/']")!.GetAttribute("href")!;
        var (stranger, _) = await SignedInCitizenAsync();
        using var _s = stranger;
        foreach (var url in new[] { link, fileLink })
        {
            using var peek = await stranger.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        }

        using var forgotten = await browser.SubmitAsync(mine, "#kho form[action*=\"handler=Forget\"]", new Dictionary<string, string>());
        Assert.Contains("Đã xóa giấy tờ khỏi kho dữ liệu", (await browser.FollowAsync(forgotten)).QuerySelector(".notice").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pressing_send_twice_makes_one_dossier_with_one_code()
    {
        var (browser, _) = await SignedInCitizenAsync();
        using var _b = browser;
        var review = await FilledDraftAsync(browser, await OnlineProcedureAsync());

        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var sent = await browser.SubmitAsync(review, "#gui-di", new Dictionary<string, string>());
            return sent.Headers.Location?.OriginalString ?? $"{(int)sent.StatusCode}: {(await Html.ParseAsync(sent)).QuerySelector(".error-summary, h1").Text()}";
        }));

        Assert.True(answers.Distinct().Count() == 1, string.Join(" | ", answers));
        var done = await browser.GetPageAsync(answers[0]!);
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var dossier = await db.Dossiers.Include(d => d.Events).SingleAsync(d => d.Id == DossierIdOf(done));
        Assert.Equal(done.QuerySelector("#ma-ho-so").Text(), dossier.Code);
        Assert.Single(dossier.Events, e => e.Status == DossierStatus.Submitted);
    }

    [Fact]
    public async Task An_unverified_account_keeps_its_draft_and_is_told_why_it_cannot_send()
    {
        var (browser, _) = await SignedInCitizenAsync(verified: false);
        using var _b = browser;
        var review = await FilledDraftAsync(browser, await OnlineProcedureAsync());

        using var sent = await browser.SubmitAsync(review, "#gui-di", new Dictionary<string, string>());
        var page = await Html.ParseAsync(sent);

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("chưa xác minh email và số điện thoại", page.QuerySelector(".error-summary").Text(), StringComparison.Ordinal);
        using var scope = portal.Services.CreateScope();
        Assert.Equal(DossierStatus.Draft, (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Dossiers.SingleAsync(d => d.Id == DossierIdOf(review))).Status);
    }

    [Fact]
    public async Task A_wrong_step_is_explained_keeps_what_was_typed_and_the_draft_survives_a_restart()
    {
        var (browser, person) = await SignedInCitizenAsync();
        using var _b = browser;
        var procedure = await OnlineProcedureAsync();
        var start = await browser.GetPageAsync("/nop-ho-so?thu-tuc=" + procedure.Code);
        using var started = await browser.SubmitAsync(start, "#bat-dau", new Dictionary<string, string>());
        var applicant = await browser.FollowAsync(started);

        using var wrong = await browser.SubmitAsync(applicant, "#buoc", new Dictionary<string, string> { ["ApplicantName"] = "Đinh Thị Lan", ["ApplicantId"] = "12345", ["ApplicantPhone"] = "0987654321", ["Then"] = "tiep" });
        var page = await Html.ParseAsync(wrong);
        Assert.Equal("Nhập số CCCD gồm 12 chữ số.", page.QuerySelector("#so-dinh-danh-error").Text());
        Assert.Equal("Nhập địa chỉ liên hệ", page.QuerySelector("#dia-chi-error").Text());
        Assert.Equal("Đinh Thị Lan", page.QuerySelector("#ho-ten")?.GetAttribute("value"));

        // Another host on the same database (a restart) shows the saved draft to the same person.
        await using var restarted = portal.Factory.WithWebHostBuilder(_ => { });
        using var later = restarted.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await later.GetPageAsync("/dang-nhap");
        using var signedIn = await later.SubmitAsync(signIn, "main form", new Dictionary<string, string> { ["Login"] = person.CitizenId, ["Password"] = person.Password });
        var mine = await later.GetPageAsync("/ho-so-cua-toi");
        Assert.Contains("Hồ sơ nháp", mine.QuerySelector("table").Text(), StringComparison.Ordinal);
        var resumed = await later.GetPageAsync($"/nop-ho-so/{DossierIdOf(applicant)}/nguoi-nop");
        Assert.Equal("Đinh Thị Lan", resumed.QuerySelector("#ho-ten")?.GetAttribute("value"));

        using var deleted = await later.SubmitAsync(mine, "table form", new Dictionary<string, string>());
        Assert.Contains("Đã xóa hồ sơ nháp", (await later.FollowAsync(deleted)).QuerySelector(".notice").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_citizen_cannot_open_change_send_withdraw_or_delete_the_dossier()
    {
        var (owner, _) = await SignedInCitizenAsync();
        using var _o = owner;
        var review = await FilledDraftAsync(owner, await OnlineProcedureAsync());
        var id = DossierIdOf(review);
        var (stranger, _) = await SignedInCitizenAsync();
        using var _s = stranger;

        foreach (var url in new[] { $"/nop-ho-so/{id}/nguoi-nop", $"/nop-ho-so/{id}/kiem-tra", $"/ho-so-cua-toi/{id}" })
        {
            using var look = await stranger.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, look.StatusCode);
        }

        var ownPage = await stranger.GetPageAsync("/ho-so-cua-toi");
        var token = ownPage.QuerySelector("form[action='/dang-xuat'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        foreach (var url in new[] { $"/nop-ho-so/{id}/kiem-tra?handler=Submit", $"/nop-ho-so/{id}/nguoi-nop", $"/ho-so-cua-toi/{id}?handler=Withdraw", $"/ho-so-cua-toi?handler=Delete&id={id}" })
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["ApplicantName"] = "Kẻ Gian", ["Then"] = "luu" });
            using var forged = await stranger.PostAsync(new Uri(url, UriKind.Relative), form);
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }

        using var scope = portal.Services.CreateScope();
        var dossier = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Dossiers.SingleAsync(d => d.Id == id);
        Assert.Equal(DossierStatus.Draft, dossier.Status);
        Assert.Equal("Ngô Văn Khánh", dossier.Applicant.FullName);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SubmitDossierTestsOnSqlite(SqlitePortal portal) : SubmitDossierTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class SubmitDossierTestsOnPostgreSql(PostgresPortal portal) : SubmitDossierTests(portal);
