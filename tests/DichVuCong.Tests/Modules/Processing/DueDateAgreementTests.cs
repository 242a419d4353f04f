using System.Text.Json;
using AngleSharp.Dom;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Processing.DueDates;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Processing;

/// <summary>
/// One received dossier, read everywhere a person sees it: the officer's dossier page and inbox row, the citizen's
/// list and detail page, and the APIs, all give the same due date (Vietnam time) and the same working time left.
/// The dossier is the same-day copy certification, received on the portal's own clock.
/// </summary>
public abstract class DueDateAgreementTests(PortalFixture portal)
{
    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Squash(string? text) => System.Text.RegularExpressions.Regex.Replace(text ?? string.Empty, @"\s+", " ").Trim();

    private static async Task<JsonElement> JsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), Cancel);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone();
    }

    [Fact]
    public async Task The_due_date_and_the_time_left_agree_on_every_page_and_api_for_officer_and_citizen()
    {
        var (a, _) = await desk.CommunesAsync();
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(Desk.CopyCode, a, applicant);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(TimeProvider.System, reception, id, WorkflowAction.Receive)).Kind);

        // The same-day rule: received before 15:00 → that day's closing; after → the next working day.
        var dossier = await desk.LoadAsync(id);
        var calendar = await portal.Services.GetRequiredService<WorkingCalendars>().ForAgencyAsync(a, Cancel);
        var expected = calendar.DueAt(DossierProcessing.Local(dossier.ReceivedAt!.Value), 1, TimeLimitUnit.SameDay);
        Assert.Equal(expected.UtcDateTime, dossier.DueAt);
        var due = Formats.DateTime(dossier.DueAt!.Value);
        var before = calendar.RemainingText(DateTimeOffset.UtcNow, expected);

        using var officer = await desk.BrowserAsync(reception);
        using var citizen = await Accounts.BackOffice.SignedInAsync(portal.Factory, applicant.UserName, applicant.Password);
        var officerPage = await officer.GetPageAsync($"/can-bo/ho-so/{id}");
        var inbox = await officer.GetPageAsync("/can-bo?xem=tat-ca&q=" + Uri.EscapeDataString(code));
        var list = await citizen.GetPageAsync("/ho-so-cua-toi");
        var detail = await citizen.GetPageAsync($"/ho-so-cua-toi/{id}");
        var api = await JsonAsync(citizen, $"/api/v1/dossiers/{id}");
        var backOffice = await JsonAsync(officer, $"/api/v1/backoffice/dossiers/{id}");
        var after = calendar.RemainingText(DateTimeOffset.UtcNow, expected);

        static IElement Row(IDocument page, string code) =>
            page.QuerySelectorAll("main table tbody tr").Single(r => r.QuerySelector("td a")?.TextContent.Trim() == code);
        var inboxRow = Row(inbox, code);
        var listRow = Row(list, code);

        // The date, as people read it.
        Assert.StartsWith(due, Squash(officerPage.QuerySelector("#hen-tra")?.TextContent), StringComparison.Ordinal);
        Assert.StartsWith(due, Squash(inboxRow.QuerySelector(".hen-tra")?.TextContent), StringComparison.Ordinal);
        Assert.StartsWith(due, Squash(listRow.QuerySelector(".hen-tra")?.TextContent), StringComparison.Ordinal);
        Assert.StartsWith(due, Squash(detail.QuerySelector("#hen-tra")?.TextContent), StringComparison.Ordinal);
        Assert.Equal(dossier.DueAt, api.GetProperty("dueAt").GetDateTime().ToUniversalTime());
        Assert.Equal(dossier.DueAt, backOffice.GetProperty("dossier").GetProperty("dueAt").GetDateTime().ToUniversalTime());

        // The working time left, the same words everywhere (the minute may turn between the first read and the last).
        string[] remaining =
        [
            Squash(officerPage.QuerySelector("#con-lai")?.TextContent),
            Squash(inboxRow.QuerySelector(".con-lai")?.TextContent),
            Squash(listRow.QuerySelector(".con-lai")?.TextContent),
            Squash(detail.QuerySelector("#con-lai")?.TextContent),
            api.GetProperty("remainingWorkingTime").GetString() ?? string.Empty,
            backOffice.GetProperty("dossier").GetProperty("remainingWorkingTime").GetString() ?? string.Empty,
        ];
        Assert.All(remaining, r => Assert.Contains(r, new[] { before, after }));
        Assert.Matches("^(còn .+ làm việc|đến hạn)$", remaining[0]);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class DueDateAgreementTestsOnSqlite(SqlitePortal portal) : DueDateAgreementTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class DueDateAgreementTestsOnPostgreSql(PostgresPortal portal) : DueDateAgreementTests(portal);
