using System.Net;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Processing;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Payments;

/// <summary>
/// The process says where a fee is paid: chứng thực bản sao before it is processed, the others before the result is
/// handed back. Meanwhile the dossier waits (Chờ thanh toán) with its clock stopped, the applicant is told the amount,
/// and officers cannot go on; the payment (here at the desk) lets it go on with the due date moved by the wait.
/// </summary>
public abstract class AwaitPaymentTests(PortalFixture portal)
{
    private readonly Desk desk = new(portal);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(Guid Id, string Code, Processing.Applicant Applicant)> OwingAsync(string procedure, int agency, long fee)
    {
        var applicant = await desk.ApplicantAsync();
        var (id, code) = await desk.SubmittedAsync(procedure, agency, applicant);
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var dossier = await db.Dossiers.SingleAsync(d => d.Id == id, Cancel);
        dossier.SetFee(fee, "Phí chứng thực");
        await db.SaveChangesAsync(Cancel);
        return (id, code, applicant);
    }

    [Fact]
    public async Task A_copy_certification_waits_for_its_fee_after_reception_and_goes_on_once_paid_at_the_desk()
    {
        var (a, _) = await desk.CommunesAsync();
        var (id, code, applicant) = await OwingAsync(Desk.CopyCode, a, 6_000);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var leader = await desk.OfficerAsync(a, Roles.Leader);
        var clock = new FakeTimeProvider(Desk.Vn(2026, 12, 2, 8)); // Wednesday morning
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.Receive)).Kind);

        var waiting = await desk.LoadAsync(id);
        Assert.Equal(DossierStatus.AwaitingPayment, waiting.Status);
        Assert.NotNull(waiting.ClockPausedAt);
        var dueBefore = waiting.DueAt!.Value;
        var told = await desk.MessagesAsync(applicant.Phone);
        Assert.Contains(told, m => m.Purpose == "ho-so-awaiting-payment" && m.Body.Contains("6.000 d", StringComparison.Ordinal) && m.Body.Contains(code, StringComparison.Ordinal));

        // Nothing goes on while the fee is owed.
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(OutcomeKind.Conflict, (await desk.ActAsync(clock, leader, id, WorkflowAction.Approve)).Kind);

        // Paid at the desk two working hours later: processing again, the due date two working hours later too.
        using var officer = await desk.BrowserAsync(reception);
        using (var paid = await officer.PostAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/payments/desk", UriKind.Relative), null, Cancel))
        {
            Assert.Equal(HttpStatusCode.NoContent, paid.StatusCode);
        }

        var going = await desk.LoadAsync(id);
        Assert.Equal(DossierStatus.Processing, going.Status);
        Assert.Null(going.ClockPausedAt);
        Assert.NotNull(going.PaidAt);
        Assert.True(going.DueAt > dueBefore, $"due {going.DueAt} should move past {dueBefore}");
    }

    [Fact]
    public async Task A_late_birth_registration_waits_for_its_fee_before_hand_back()
    {
        var (a, _) = await desk.CommunesAsync();
        var (id, _, _) = await OwingAsync(Desk.BirthCode, a, 8_000);
        var reception = await desk.OfficerAsync(a, Roles.Reception);
        var specialist = await desk.OfficerAsync(a, Roles.Specialist);
        var leader = await desk.OfficerAsync(a, Roles.Leader);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.Receive)).Kind);
        Assert.Equal(DossierStatus.Received, (await desk.LoadAsync(id)).Status); // paid before hand-back, not now
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, specialist, id, WorkflowAction.Forward, new ActionInput { Note = "Đã ghi sổ" })).Kind);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, leader, id, WorkflowAction.Approve, new ActionInput { Note = "Đã ký" })).Kind);
        using (var pdf = new MemoryStream(Dossiers.SampleFiles.Pdf()))
        {
            Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.AttachResult, new ActionInput { Files = [new ActionFile("trich-luc-khai-sinh.pdf", pdf)] })).Kind);
        }

        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.ResultReady)).Kind);
        Assert.Equal(DossierStatus.AwaitingPayment, (await desk.LoadAsync(id)).Status);
        Assert.Equal(OutcomeKind.Conflict, (await desk.ActAsync(clock, reception, id, WorkflowAction.HandBack, new ActionInput { ReceivedBy = new("Đỗ Thị Hồ Sơ", null, ReceiverRelation.Applicant) })).Kind);

        using var officer = await desk.BrowserAsync(reception);
        using (var paid = await officer.PostAsync(new Uri($"/api/v1/backoffice/dossiers/{id}/payments/desk", UriKind.Relative), null, Cancel))
        {
            Assert.Equal(HttpStatusCode.NoContent, paid.StatusCode);
        }

        Assert.Equal(DossierStatus.ResultReady, (await desk.LoadAsync(id)).Status);
        Assert.Equal(OutcomeKind.Done, (await desk.ActAsync(clock, reception, id, WorkflowAction.HandBack, new ActionInput { ReceivedBy = new("Đỗ Thị Hồ Sơ", null, ReceiverRelation.Applicant) })).Kind);
        Assert.Equal(DossierStatus.Completed, (await desk.LoadAsync(id)).Status);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AwaitPaymentTestsOnSqlite(SqlitePortal portal) : AwaitPaymentTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class AwaitPaymentTestsOnPostgreSql(PostgresPortal portal) : AwaitPaymentTests(portal);
