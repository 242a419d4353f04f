using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Tests.Modules.Dossiers;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Dossiers.AttachFile;
using DichVuCong.Web.Modules.Processing;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using DichVuCong.Web.Modules.Processing.WatchDeadlines;
using DichVuCong.Web.Modules.Processing.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Processing;

public abstract class ProcessDossierTests(PortalFixture portal)
{
    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, Guid id, string action, object? body = null)
    {
        using var response = await client.PostAsJsonAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/actions/{action}", UriKind.Relative), body ?? new { }, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Every_action_is_checked_against_the_officers_agency_role_and_the_dossiers_step()
    {
        var (a, b) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        using var reception = await desk.BrowserAsync(await desk.OfficerAsync(a, Roles.Reception));
        using var specialist = await desk.BrowserAsync(await desk.OfficerAsync(a, Roles.Specialist));
        using var leader = await desk.BrowserAsync(await desk.OfficerAsync(a, Roles.Leader));
        using var elsewhere = await desk.BrowserAsync(await desk.OfficerAsync(b, Roles.Reception));

        // Another commune's officer does not even learn the dossier exists.
        using (var seen = await elsewhere.GetAsync(new Uri($"/api/v1/backoffice/dossiers/{id}", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, seen.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(elsewhere, id, "receive")).Status);
        using (var page = await elsewhere.GetAsync(new Uri($"/can-bo/ho-so/{id}", UriKind.Relative), Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        var (status, problem) = await PostAsync(specialist, id, "receive");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Vai trò chuyên viên thụ lý không được “Tiếp nhận”", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        (status, problem) = await PostAsync(leader, id, "approve");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("không có thao tác “Phê duyệt”", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (received, view) = await PostAsync(reception, id, "receive", new { note = "Đủ giấy tờ" });
        Assert.Equal(HttpStatusCode.OK, received);
        Assert.Equal("received", view.GetProperty("dossier").GetProperty("status").GetString());
        Assert.Equal("ho-tich", view.GetProperty("step").GetString());
        Assert.Equal(JsonValueKind.String, view.GetProperty("dossier").GetProperty("dueAt").ValueKind);

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(reception, id, "forward")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(reception, id, "receive")).Status);
        (status, problem) = await PostAsync(specialist, id, "send-back");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(specialist, id, "forward", new { note = "Đã ghi sổ hộ tịch" })).Status);
        (status, problem) = await PostAsync(reception, id, "approve");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("lãnh đạo", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(specialist, id, "approve")).Status);
        (status, view) = await PostAsync(leader, id, "approve");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("tiep-nhan", view.GetProperty("step").GetString());

        (status, problem) = await PostAsync(reception, id, "result-ready");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("chưa có kết quả", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        (status, problem) = await PostAsync(reception, id, "attach-result");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("files", out _));

        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("Trích lục khai sinh bản điện tử"), "note");
            form.Add(new ByteArrayContent(SampleFiles.Pdf()), "files", "trich-luc-khai-sinh.pdf");
            using var attached = await reception.PostAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/actions/attach-result", UriKind.Relative), form, Cancel);
            Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(reception, id, "result-ready")).Status);

        // At the desk the officer records who took the result: a name always, a CCCD checked when given.
        (status, problem) = await PostAsync(reception, id, "hand-back");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Nhập họ tên người nhận kết quả.", problem.GetProperty("errors").GetProperty("receivedBy.name")[0].GetString());
        (status, problem) = await PostAsync(reception, id, "hand-back", new { receivedBy = new { name = "Đỗ Văn Nhận", identityNumber = "12345" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Nhập số CCCD gồm 12 chữ số.", problem.GetProperty("errors").GetProperty("receivedBy.identityNumber")[0].GetString());
        Assert.Equal(DossierStatus.ResultReady, (await desk.LoadAsync(id)).Status);
        (status, view) = await PostAsync(reception, id, "hand-back", new { receivedBy = new { name = "Đỗ Văn Nhận", identityNumber = "001090123456", relation = "authorised" } });
        Assert.Equal(HttpStatusCode.OK, status);
        var receiver = view.GetProperty("actions").EnumerateArray().Last().GetProperty("receivedBy");
        Assert.Equal(("Đỗ Văn Nhận", "001090123456", "authorised"), (receiver.GetProperty("name").GetString(), receiver.GetProperty("identityNumber").GetString(), receiver.GetProperty("relation").GetString()));
        Assert.Equal("completed", view.GetProperty("dossier").GetProperty("status").GetString());
        Assert.Contains(view.GetProperty("timeliness").GetString(), new[] { "early", "on_time" });

        var dossier = await desk.LoadAsync(id);
        Assert.Equal(
            [WorkflowAction.Receive, WorkflowAction.Forward, WorkflowAction.Approve, WorkflowAction.AttachResult, WorkflowAction.ResultReady, WorkflowAction.HandBack],
            dossier.Actions.OrderBy(x => x.Id).Select(x => x.Action));
        Assert.Equal(IssuedSlip.Receipt, dossier.Actions.Single(x => x.Action == WorkflowAction.Receive).Slip);
        Assert.Equal("trich-luc-khai-sinh.pdf", Assert.Single(dossier.Files, f => f.Kind == DossierFileKind.Result).FileName);
        Assert.All(dossier.Actions.Where(x => x.StepDueAt != null), x => Assert.NotNull(x.Timeliness));

        // The applicant heard of reception (with the due date), of the result, and of the hand-back; nothing of the internal steps.
        var mail = await desk.MessagesAsync(applicant.Email);
        var sms = await desk.MessagesAsync(applicant.Phone);
        Assert.Equal(["ho-so-hand-back", "ho-so-receive", "ho-so-result-ready"], mail.Select(m => m.Purpose).Order(StringComparer.Ordinal));
        Assert.Equal(3, sms.Count);
        Assert.Contains("Ngày hẹn trả kết quả", mail.Single(m => m.Purpose == "ho-so-receive").Body, StringComparison.Ordinal);
        Assert.All(mail, m => Assert.Contains(code, m.Body, StringComparison.Ordinal));

        // The citizen reads the same dossier as done.
        using var citizen = await Accounts.BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);
        var mine = await citizen.GetPageAsync($"/ho-so-cua-toi/{id}");
        Assert.Equal("Đã trả kết quả", mine.QuerySelector("#trang-thai").Text());
        Assert.Equal("trich-luc-khai-sinh.pdf", mine.QuerySelector("#ket-qua a").Text());
        Assert.Equal("Kết quả giải quyết", mine.QuerySelector("#ket-qua h2").Text());

        // The officers' history names who took it.
        var officerPage = await reception.GetPageAsync($"/can-bo/ho-so/{id}");
        Assert.Equal("Người nhận: Đỗ Văn Nhận · CCCD 001090123456 (người được ủy quyền)", officerPage.QuerySelector("#qua-trinh .nguoi-nhan").Text());
    }

    [Fact]
    public async Task The_officer_and_the_applicant_read_the_e_form_as_sent_with_choices_in_words()
    {
        var (commune, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, _) = await desk.SubmittedAsync(Desk.BirthCode, commune, applicant,
            eformJson: """{"requesterName":"Trần Thị Bình","requesterRelation":"me","childName":"Nguyễn Minh Khôi","childSex":"nam","childBirthDate":"2026-11-20"}""");

        using var officer = await desk.BrowserAsync(await desk.OfficerAsync(commune, Roles.Reception));
        using var citizen = await BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);
        foreach (var page in new[] { await officer.GetPageAsync($"/can-bo/ho-so/{id}"), await citizen.GetPageAsync($"/ho-so-cua-toi/{id}") })
        {
            Assert.Equal("Tờ khai", page.QuerySelector("#to-khai-tieu-de").Text());
            var answers = page.QuerySelectorAll("#to-khai-dien-tu div").ToDictionary(x => x.QuerySelector("dt").Text(), x => x.QuerySelector("dd").Text());
            Assert.Equal("Trần Thị Bình", answers["Họ, chữ đệm, tên người yêu cầu"]);
            Assert.Equal("Mẹ", answers["Quan hệ với người được khai sinh"]);
            Assert.Equal("Nguyễn Minh Khôi", answers["Họ, chữ đệm, tên"]);
            Assert.Equal("Nam", answers["Giới tính"]);
            Assert.Equal("20/11/2026", answers["Ngày, tháng, năm sinh"]);
            Assert.Equal(5, answers.Count); // nothing shown for what was left empty
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_back_office_api()
    {
        using var client = portal.CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel);
        var paths = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/backoffice/inbox", out var inbox));
        Assert.Contains(inbox.GetProperty("get").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "view");
        Assert.True(paths.TryGetProperty("/api/v1/backoffice/dossiers/{id}/actions/{action}", out var act));
        Assert.Contains("request-supplement", act.GetProperty("post").GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.True(paths.TryGetProperty("/api/v1/backoffice/dossiers/{id}/assign", out _));
        Assert.True(paths.TryGetProperty("/api/v1/dossiers/{id}/supplement", out _));
    }

    [Fact]
    public async Task The_inbox_api_counts_each_view_and_finds_by_whole_CCCD_only()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        using var reception = await desk.BrowserAsync(await desk.OfficerAsync(a, Roles.Reception));

        var all = await reception.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/backoffice/inbox?view=moi&q=" + applicant.CitizenId, UriKind.Relative), Cancel);
        Assert.Equal(code, Assert.Single(all.GetProperty("items").EnumerateArray()).GetProperty("code").GetString());
        Assert.True(all.GetProperty("counts").GetProperty("moi").GetInt32() >= 1);
        var partial = await reception.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/backoffice/inbox?view=tat-ca&q=" + applicant.CitizenId[1..], UriKind.Relative), Cancel);
        Assert.Empty(partial.GetProperty("items").EnumerateArray());
        using var wrong = await reception.GetAsync(new Uri("/api/v1/backoffice/inbox?view=khac", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(reception, id, "receive")).Status);
        var mine = await reception.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/backoffice/inbox?view=moi&q=" + code, UriKind.Relative), Cancel);
        Assert.Empty(mine.GetProperty("items").EnumerateArray());
        var everything = await reception.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/backoffice/inbox?view=tat-ca&q=" + code, UriKind.Relative), Cancel);
        var row = Assert.Single(everything.GetProperty("items").EnumerateArray());
        Assert.Equal("received", row.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, row.GetProperty("dueAt").ValueKind);
    }

    [Fact]
    public async Task A_refusal_needs_a_reason_and_tells_the_applicant_why()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, _) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var clock = TimeProvider.System;

        var missing = await desk.ActAsync(clock, reception, id, WorkflowAction.Refuse);
        Assert.Equal(OutcomeKind.Invalid, missing.Kind);
        Assert.True(missing.Errors!.ContainsKey("reason"));

        var refused = await desk.ActAsync(clock, reception, id, WorkflowAction.Refuse, new ActionInput { Reason = "Trẻ không sinh ra trên địa bàn xã" });
        Assert.Equal(OutcomeKind.Done, refused.Kind);
        var dossier = await desk.LoadAsync(id);
        Assert.Equal(DossierStatus.Refused, dossier.Status);
        Assert.Null(dossier.Timeliness);
        Assert.Equal(IssuedSlip.Refusal, dossier.Actions.Single().Slip);
        Assert.Contains("Trẻ không sinh ra trên địa bàn xã", Assert.Single(await desk.MessagesAsync(applicant.Email)).Body, StringComparison.Ordinal);
        Assert.Equal(OutcomeKind.Conflict, (await desk.ActAsync(clock, reception, id, WorkflowAction.Receive)).Kind);
    }

    [Fact]
    public async Task Two_officers_acting_on_the_same_dossier_at_once_one_wins_the_other_is_told()
    {
        var (a, _) = await desk.CommunesAsync();
        var (id, _) = await desk.SubmittedAsync(Desk.BirthCode, a, await desk.ApplicantAsync());
        var first = await desk.OfficerAsync(a, Roles.Reception);
        var second = await desk.OfficerAsync(a, Roles.Reception);

        // The second officer's page was loaded before the first one acted.
        await using var scope = portal.Services.CreateAsyncScope();
        var late = ActivatorUtilities.CreateInstance<DossierProcessing>(scope.ServiceProvider, TimeProvider.System);
        Assert.NotNull(await late.FindAsync(second.User, id, Cancel));

        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, first, id, WorkflowAction.Receive)).Kind);
        var lost = await late.ActAsync(second.User, id, WorkflowAction.Refuse, new ActionInput { Reason = "Thiếu giấy chứng sinh" }, Cancel);

        Assert.Equal(OutcomeKind.Conflict, lost.Kind);
        Assert.Equal("Hồ sơ vừa được người khác xử lý. Hãy xem lại trạng thái mới của hồ sơ.", lost.Message);
        var dossier = await desk.LoadAsync(id);
        Assert.Equal(DossierStatus.Received, dossier.Status);
        Assert.Equal(first.Id, Assert.Single(dossier.Actions).ActorId);
    }

    [Fact]
    public async Task A_supplement_stops_the_clock_and_moves_the_due_date_by_the_paused_working_time()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var clock = new FakeTimeProvider(Desk.Vn(2027, 3, 8, 9));
        var (id, code) = await desk.SubmittedAsync(Desk.PermitCode, a, applicant, clock.GetUtcNow().UtcDateTime);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var specialist = await desk.OfficerAsync(a, Roles.Specialist);

        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.Receive)).Kind);
        // 15 working days from Monday 08/03/2027 09:00.
        Assert.Equal(Desk.Vn(2027, 3, 29, 9).UtcDateTime, (await desk.LoadAsync(id)).DueAt);

        clock.SetUtcNow(Desk.Vn(2027, 3, 9, 9));
        var asked = await desk.ActAsync(clock, specialist, id, WorkflowAction.RequestSupplement, new ActionInput { Missing = ["Bản vẽ mặt bằng móng", "Giấy chứng nhận quyền sử dụng đất (bản sao)"], Note = "Bản vẽ thiếu trang 2" });
        Assert.Equal(OutcomeKind.Done, asked.Kind);
        var waiting = await desk.LoadAsync(id);
        Assert.Equal(DossierStatus.SupplementRequested, waiting.Status);
        Assert.NotNull(waiting.ClockPausedAt);
        Assert.Equal(IssuedSlip.SupplementRequest, waiting.Actions.Last().Slip);
        var told = (await desk.MessagesAsync(applicant.Email)).Single(m => m.Purpose == "ho-so-request-supplement");
        Assert.Contains("Bản vẽ mặt bằng móng", told.Body, StringComparison.Ordinal);
        Assert.Contains("Giấy chứng nhận quyền sử dụng đất (bản sao)", told.Body, StringComparison.Ordinal);

        // Two working days later (Thursday 09:00) the applicant uploads and sends the supplement.
        clock.SetUtcNow(Desk.Vn(2027, 3, 11, 9));
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var dossier = await db.Dossiers.Include(d => d.Files).Include(d => d.Events).Include(d => d.Actions).SingleAsync(d => d.Id == id, Cancel);
            var component = await db.Procedures.Where(p => p.Id == dossier.ProcedureId).SelectMany(p => p.Components).Select(c => c.Id).FirstAsync(Cancel);
            using var pdf = new MemoryStream(SampleFiles.Pdf());
            Assert.True((await scope.ServiceProvider.GetRequiredService<DossierUploads>().AttachAsync(dossier, component, "ban-ve-mong.pdf", pdf, Cancel)).Succeeded);
            var processing = ActivatorUtilities.CreateInstance<DossierProcessing>(scope.ServiceProvider, (TimeProvider)clock);
            var dossierClock = ActivatorUtilities.CreateInstance<DossierClock>(scope.ServiceProvider, processing, (TimeProvider)clock);
            Assert.True(await dossierClock.ResubmitAsync(dossier, Cancel));
        }

        var resumed = await desk.LoadAsync(id);
        Assert.Equal(DossierStatus.Processing, resumed.Status);
        Assert.Null(resumed.ClockPausedAt);
        Assert.Equal(Desk.Vn(2027, 3, 31, 9).UtcDateTime, resumed.DueAt);
        Assert.Equal(DossierFileKind.Supplement, resumed.Files.Single(f => f.FileName == "ban-ve-mong.pdf").Kind);
        Assert.Equal("tham-dinh", resumed.CurrentStep);
        Assert.Contains(await desk.MessagesAsync(specialist.Email), m => m.Purpose == "ho-so-bo-sung" && m.Body.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_late_dossier_is_handed_back_only_after_one_apology_with_a_new_date()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var clock = new FakeTimeProvider(Desk.Vn(2027, 3, 8, 9));
        var (id, _) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant, clock.GetUtcNow().UtcDateTime);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var specialist = await desk.OfficerAsync(a, Roles.Specialist);
        var leader = await desk.OfficerAsync(a, Roles.Leader);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.Receive)).Kind);
        Assert.Equal(Desk.Vn(2027, 3, 8, 17).UtcDateTime, (await desk.LoadAsync(id)).DueAt);

        // The specialist takes until the next morning: the step and the dossier are late.
        clock.SetUtcNow(Desk.Vn(2027, 3, 9, 8));
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, specialist, id, WorkflowAction.Forward)).Kind);
        Assert.Equal(DossierTimeliness.Late, (await desk.LoadAsync(id)).Actions.Single(x => x.Action == WorkflowAction.Forward).Timeliness);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, leader, id, WorkflowAction.Approve)).Kind);
        using (var pdf = new MemoryStream(SampleFiles.Pdf()))
        {
            Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.AttachResult, new ActionInput { Files = [new ActionFile("ket-qua.pdf", pdf)] })).Kind);
        }

        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.ResultReady)).Kind);
        var taker = new ActionInput { ReceivedBy = new ResultReceiver("Đỗ Thị Hồ Sơ", null, ReceiverRelation.Applicant) };
        var refused = await desk.ActAsync(clock, reception, id, WorkflowAction.HandBack, taker);
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Contains("Mẫu 04", refused.Message, StringComparison.Ordinal);

        var noDate = await desk.ActAsync(clock, reception, id, WorkflowAction.Reschedule, new ActionInput { Reason = "Chờ lãnh đạo ký" });
        Assert.True(noDate.Errors!.ContainsKey("newDueDate"));
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.Reschedule, new ActionInput { Reason = "Lãnh đạo đi công tác", NewDueDate = new DateOnly(2027, 3, 10) })).Kind);
        var again = await desk.ActAsync(clock, leader, id, WorkflowAction.Reschedule, new ActionInput { Reason = "Lần hai", NewDueDate = new DateOnly(2027, 3, 12) });
        Assert.Equal(OutcomeKind.Conflict, again.Kind);
        Assert.Contains("một lần", again.Message, StringComparison.Ordinal);

        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.HandBack, taker)).Kind);
        var done = await desk.LoadAsync(id);
        Assert.Equal(DossierStatus.Completed, done.Status);
        Assert.Equal(DossierTimeliness.Late, done.Timeliness);
        var apology = done.Actions.Single(x => x.Action == WorkflowAction.Reschedule);
        Assert.Equal(IssuedSlip.Apology, apology.Slip);
        Assert.Equal(Desk.Vn(2027, 3, 10, 17).UtcDateTime, apology.DueAt);
        Assert.Contains(await desk.MessagesAsync(applicant.Email), m => m.Purpose == "ho-so-reschedule" && m.Body.Contains("17:00 10/03/2027", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Processing_stops_with_a_reason_when_the_supplement_never_comes()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, _) = await desk.SubmittedAsync(Desk.PermitCode, a, applicant);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var specialist = await desk.OfficerAsync(a, Roles.Specialist);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, reception, id, WorkflowAction.Receive)).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, specialist, id, WorkflowAction.RequestSupplement, new ActionInput { Missing = ["Bản vẽ kết cấu"] })).Kind);

        Assert.Equal(OutcomeKind.Forbidden, (await desk.ActAsync(TimeProvider.System, reception, id, WorkflowAction.Stop, new ActionInput { Reason = "Quá hạn bổ sung" })).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, specialist, id, WorkflowAction.Stop, new ActionInput { Reason = "Quá thời hạn bổ sung hồ sơ" })).Kind);

        var dossier = await desk.LoadAsync(id);
        Assert.Equal(DossierStatus.Stopped, dossier.Status);
        Assert.Equal(IssuedSlip.StopNotice, dossier.Actions.Last().Slip);
        Assert.Contains(await desk.MessagesAsync(applicant.Phone), m => m.Purpose == "ho-so-stop");
    }

    [Fact]
    public async Task The_watcher_flags_dossiers_due_within_a_working_day_once_a_day_and_marks_overdue_ones_once()
    {
        var (a, _) = await desk.CommunesAsync();
        var clock = new FakeTimeProvider(Desk.Vn(2027, 5, 10, 9));
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var specialist = await desk.OfficerAsync(a, Roles.Specialist);
        var (soonId, soonCode) = await desk.SubmittedAsync(Desk.PermitCode, a, await desk.ApplicantAsync(), clock.GetUtcNow().UtcDateTime);
        var (lateId, lateCode) = await desk.SubmittedAsync(Desk.BirthCode, a, await desk.ApplicantAsync(), clock.GetUtcNow().UtcDateTime);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, soonId, WorkflowAction.Receive)).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, lateId, WorkflowAction.Receive)).Kind);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var processing = ActivatorUtilities.CreateInstance<DossierProcessing>(scope.ServiceProvider, (TimeProvider)clock);
            Assert.Equal(OutcomeKind.Done, (await processing.AssignAsync(reception.User, soonId, specialist.Email, Cancel)).Kind);
        }

        // Nearly three weeks on: the permit (due 31/05 09:00) is due within a working day, the birth registration long overdue.
        clock.SetUtcNow(Desk.Vn(2027, 5, 28, 10));
        async Task PassAsync() => await ActivatorUtilities.CreateInstance<DeadlineWatch>(portal.Services, (TimeProvider)clock).RunOnceAsync(Cancel);
        await PassAsync();
        await PassAsync();

        var toSpecialist = await desk.MessagesAsync(specialist.Email);
        Assert.Single(toSpecialist, m => m.Purpose == "ho-so-sap-den-han" && m.Body.Contains(soonCode, StringComparison.Ordinal));
        // Nobody holds the overdue one by name: the officers of its step's role (the specialists) and the leaders are told.
        Assert.Single(toSpecialist, m => m.Purpose == "ho-so-qua-han" && m.Body.Contains(lateCode, StringComparison.Ordinal));
        Assert.NotNull((await desk.LoadAsync(lateId)).OverdueAt);
        Assert.Null((await desk.LoadAsync(soonId)).OverdueAt);
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var leaders = await db.UserRoles.Join(db.Roles.Where(r => r.Name == Roles.Leader), ur => ur.RoleId, r => r.Id, (ur, _) => ur.UserId)
                .Join(db.UserAgencies.Where(x => x.AgencyId == a), id => id, ua => ua.UserId, (id, _) => id).ToListAsync(Cancel);
            var leaderMails = await db.Users.Where(u => leaders.Contains(u.Id)).Select(u => u.Email).ToListAsync(Cancel);
            Assert.Contains(await db.OutboxMessages.Where(m => m.Purpose == "ho-so-qua-han" && m.Body.Contains(lateCode)).Select(m => m.Recipient).ToListAsync(Cancel), leaderMails.Contains);
        }

        // The next working day it is flagged again, once; overdue is told only once.
        clock.SetUtcNow(Desk.Vn(2027, 5, 31, 8));
        await PassAsync();
        var later = await desk.MessagesAsync(specialist.Email);
        Assert.Equal(2, later.Count(m => m.Purpose == "ho-so-sap-den-han" && m.Body.Contains(soonCode, StringComparison.Ordinal)));
        Assert.Single(later, m => m.Purpose == "ho-so-qua-han" && m.Body.Contains(lateCode, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Editing_a_process_leaves_dossiers_in_progress_on_their_version()
    {
        var (a, _) = await desk.CommunesAsync();
        const string deathCode = "1.000656";
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var specialist = await desk.OfficerAsync(a, Roles.Specialist);
        var (oldId, _) = await desk.SubmittedAsync(deathCode, a, await desk.ApplicantAsync());
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, reception, oldId, WorkflowAction.Receive)).Kind);
        var before = await desk.LoadAsync(oldId);

        // The agency drops the leader's step: the specialist now approves directly.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var processes = scope.ServiceProvider.GetRequiredService<Processes>();
            var current = (await processes.ForAsync(before, Cancel))!;
            Assert.Equal(1, current.Version);
            ProcessStep[] steps = [current.Steps[0], current.Steps[1] with { Name = "Chuyên viên xử lý và ký" }, current.Steps[3]];
            ProcessTransition[] transitions =
            [
                .. current.Transitions.Where(t => t.FromStep == "tiep-nhan"),
                new("xu-ly", WorkflowAction.Approve, "tra-ket-qua", [Roles.Specialist]),
                .. current.Transitions.Where(t => t.FromStep == "tra-ket-qua" && t.ToStep != "phe-duyet"),
            ];
            Assert.Equal(2, (await processes.ReviseAsync(current.Id, steps, transitions, DateTime.UtcNow, Cancel)).Version);
        }

        var (newId, _) = await desk.SubmittedAsync(deathCode, a, await desk.ApplicantAsync());
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, reception, newId, WorkflowAction.Receive)).Kind);

        // The dossier received before goes on through the leader's step of version 1; the new one follows version 2.
        Assert.Equal(OutcomeKind.Conflict, (await desk.ActAsync(TimeProvider.System, specialist, oldId, WorkflowAction.Approve)).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, specialist, oldId, WorkflowAction.Forward)).Kind);
        Assert.Equal("phe-duyet", (await desk.LoadAsync(oldId)).CurrentStep);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, specialist, newId, WorkflowAction.Approve)).Kind);
        Assert.Equal("tra-ket-qua", (await desk.LoadAsync(newId)).CurrentStep);
        Assert.NotEqual((await desk.LoadAsync(oldId)).ProcessId, (await desk.LoadAsync(newId)).ProcessId);
    }

    [Fact]
    public async Task Reception_finds_a_new_dossier_by_code_name_or_whole_CCCD_and_receives_it_on_its_page()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var name = "Phan Văn Tìm " + Guid.NewGuid().ToString("N")[..6];
        var (id, code) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant, fullName: name);
        using var reception = await desk.BrowserAsync(await desk.OfficerAsync(a, Roles.Reception));

        var inbox = await reception.GetPageAsync("/can-bo");
        Assert.Equal("Bàn làm việc của cán bộ", inbox.QuerySelector("h1").Text());
        Assert.Equal("page", inbox.QuerySelector("#nhom-ho-so a[data-view=moi]")!.GetAttribute("aria-current"));
        Assert.Matches(@"Mới nộp, chờ tiếp nhận \d+", System.Text.RegularExpressions.Regex.Replace(inbox.QuerySelector("#nhom-ho-so a[data-view=moi]").Text(), @"\s+", " "));

        foreach (var q in new[] { code, name, applicant.CitizenId })
        {
            var found = await reception.GetPageAsync("/can-bo?xem=moi&q=" + Uri.EscapeDataString(q));
            Assert.Contains(code, found.QuerySelector("#ho-so").Text(), StringComparison.Ordinal);
        }

        // Part of a CCCD finds nothing: the number is matched whole.
        var partial = await reception.GetPageAsync("/can-bo?xem=tat-ca&q=" + applicant.CitizenId[..11]);
        Assert.Null(partial.QuerySelector("#ho-so"));

        var page = await reception.GetPageAsync($"/can-bo/ho-so/{id}");
        Assert.Equal("Mới nộp, chờ tiếp nhận", page.QuerySelector("#trang-thai").Text());
        Assert.NotNull(page.QuerySelector("#form-receive"));
        Assert.Null(page.QuerySelector("#form-approve"));
        using var posted = await reception.SubmitAsync(page, "#form-receive", new Dictionary<string, string> { ["Note"] = "Giấy tờ đầy đủ" });
        var after = await reception.FollowAsync(posted);
        Assert.Equal("Đã tiếp nhận", after.QuerySelector("#trang-thai").Text());
        Assert.Contains("còn", after.QuerySelector("#hen-tra").Text(), StringComparison.Ordinal);
        Assert.Contains("Giấy tờ đầy đủ", after.QuerySelector("#qua-trinh").Text(), StringComparison.Ordinal);
        Assert.Null(after.QuerySelector("#form-receive"));

        // A refusal without its reason comes back with the message beside the field.
        var other = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        var otherPage = await reception.GetPageAsync($"/can-bo/ho-so/{other.Id}");
        using var noReason = await reception.SubmitAsync(otherPage, "#form-refuse", new Dictionary<string, string>());
        var errors = await Html.ParseAsync(noReason);
        Assert.Equal("Nhập lý do để ghi vào phiếu gửi công dân.", errors.QuerySelector("#refuse-ly-do-error").Text());
        Assert.NotNull(errors.QuerySelector(".error-summary a[href='#refuse-ly-do']"));
    }

    [Fact]
    public async Task The_citizen_sees_what_is_missing_uploads_it_and_sends_the_supplement()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, _) = await desk.SubmittedAsync(Desk.BirthCode, a, applicant);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, reception, id, WorkflowAction.RequestSupplement, new ActionInput { Missing = ["Giấy chứng sinh (bản chụp rõ nét)"] })).Kind);

        using var citizen = await Accounts.BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);
        var page = await citizen.GetPageAsync($"/ho-so-cua-toi/{id}");
        Assert.Equal("Yêu cầu bổ sung", page.QuerySelector("#trang-thai").Text());
        Assert.Equal(["Giấy chứng sinh (bản chụp rõ nét)"], page.QuerySelectorAll("#can-bo-sung li").Select(li => li.Text()));

        using var empty = await citizen.SubmitAsync(page, "#gui-bo-sung", new Dictionary<string, string>());
        Assert.Equal("Tải lên ít nhất một tệp bổ sung trước khi gửi.", (await Html.ParseAsync(empty)).QuerySelector("#tep-bo-sung-error").Text());

        var form = page.QuerySelector("#tai-bo-sung")!;
        using (var content = new MultipartFormDataContent())
        {
            content.Add(new StringContent(form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!), "__RequestVerificationToken");
            content.Add(new StringContent(form.QuerySelector("select[name=ComponentId] option")!.GetAttribute("value")!), "ComponentId");
            content.Add(new ByteArrayContent(SampleFiles.Pdf()), "files", "giay-chung-sinh.pdf");
            using var uploaded = await citizen.PostAsync(new Uri(form.GetAttribute("action")!, UriKind.Relative), content, Cancel);
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        page = await citizen.GetPageAsync($"/ho-so-cua-toi/{id}");
        Assert.Contains("giay-chung-sinh.pdf", page.QuerySelector("#tep-da-bo-sung").Text(), StringComparison.Ordinal);
        using var sent = await citizen.SubmitAsync(page, "#gui-bo-sung", new Dictionary<string, string>());
        var after = await citizen.FollowAsync(sent);
        Assert.Equal("Mới nộp, chờ tiếp nhận", after.QuerySelector("#trang-thai").Text());
        Assert.Equal("Bộ phận Một cửa tiếp nhận và trả kết quả", after.QuerySelector("#dang-o-buoc").Text());
        Assert.Null(after.QuerySelector("#bo-sung"));
        Assert.Contains(await desk.MessagesAsync(reception.Email), m => m.Purpose == "ho-so-bo-sung");

        // The API shows the same dossier, and a second supplement is refused.
        using var api = await citizen.GetAsync(new Uri($"/api/v1/dossiers/{id}", UriKind.Relative), Cancel);
        var view = JsonDocument.Parse(await api.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.Equal("submitted", view.GetProperty("status").GetString());
        using var again = await citizen.PostAsync(new Uri($"/api/v1/dossiers/{id}/supplement", UriKind.Relative), null, Cancel);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ProcessDossierTestsOnSqlite(SqlitePortal portal) : ProcessDossierTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class ProcessDossierTestsOnPostgreSql(PostgresPortal portal) : ProcessDossierTests(portal);
