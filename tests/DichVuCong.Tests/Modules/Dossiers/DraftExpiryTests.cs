using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Dossiers.ExpireDrafts;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Dossiers;

/// <summary>
/// Passes of the draft expiry job on a fake clock. The clock starts a year ahead, so the drafts made here are
/// in the future for the portal's own job (on the real clock), which therefore leaves them alone.
/// </summary>
public abstract class DraftExpiryTests(PortalFixture portal)
{
    private const string Purpose = "nhac-xoa-ho-so-nhap";

    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow.AddYears(1));

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<DraftExpiryPass> PassAsync() =>
        await ActivatorUtilities.CreateInstance<DraftExpiry>(portal.Services, (TimeProvider)clock).RunOnceAsync(Cancel);

    private async Task<(Guid Id, string Email, string Phone)> CitizenAsync()
    {
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var name = "nhap-" + Guid.NewGuid().ToString("N")[..12];
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999);
        var user = new AppUser
        {
            UserName = name, Email = name + "@example.vn", EmailConfirmed = true, PhoneNumber = phone, PhoneNumberConfirmed = true,
            FullName = "Lê Văn Nháp", Kind = AccountKind.Citizen, CreatedAt = DateTime.UtcNow,
        };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        return (user.Id, user.Email, phone);
    }

    private async Task<Guid> DraftAsync(Guid ownerId, TimeSpan age)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var procedure = await db.Procedures.AsNoTracking().Where(p => p.Agencies.Any()).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Agencies.First().AgencyId }).FirstAsync(Cancel);
        var draft = Dossier.StartDraft(ownerId, procedure.Id, procedure.AgencyId, Now - age);
        db.Dossiers.Add(draft);
        await db.SaveChangesAsync(Cancel);
        return draft.Id;
    }

    private async Task<Dossier?> FindAsync(Guid id)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Dossiers.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, Cancel);
    }

    private async Task<List<OutboxMessage>> WarningsToAsync(string recipient)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.AsNoTracking()
            .Where(m => m.Recipient == recipient && m.Purpose == Purpose).ToListAsync(Cancel);
    }

    [Fact]
    public async Task A_draft_is_warned_by_mail_and_sms_once_when_three_days_are_left_and_not_before()
    {
        var owner = await CitizenAsync();
        var young = await DraftAsync(owner.Id, TimeSpan.FromDays(26));
        var due = await DraftAsync(owner.Id, TimeSpan.FromDays(28));

        await PassAsync();
        await PassAsync();

        var mail = Assert.Single(await WarningsToAsync(owner.Email));
        Assert.Equal(MessageChannel.Email, mail.Channel);
        Assert.Equal("Hồ sơ nháp sắp bị xóa", mail.Subject);
        // Warned with two days of its thirty left, it still gets three full days from the warning.
        Assert.Contains($"sẽ bị xóa vào ngày {Formats.Date(Now + TimeSpan.FromDays(3))} nếu bạn không tiếp tục", mail.Body, StringComparison.Ordinal);
        Assert.Contains($"/nop-ho-so/{due}/nguoi-nop", mail.Body, StringComparison.Ordinal);
        Assert.Contains(Formats.Date(Now + TimeSpan.FromDays(3)), Assert.Single(await WarningsToAsync(owner.Phone)).Body, StringComparison.Ordinal);
        Assert.NotNull((await FindAsync(due))!.DraftWarnedAt);
        Assert.Null((await FindAsync(young))!.DraftWarnedAt);

        // A day and a bit later the younger one has three days left and is warned, with its own date.
        clock.Advance(TimeSpan.FromHours(25));
        await PassAsync();

        var mails = await WarningsToAsync(owner.Email);
        Assert.Equal(2, mails.Count);
        Assert.Contains(mails, m => m.Body.Contains($"/nop-ho-so/{young}/nguoi-nop", StringComparison.Ordinal)
            && m.Body.Contains($"ngày {Formats.Date(Now + TimeSpan.FromDays(3))} nếu", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_warned_draft_is_deleted_with_its_files_thirty_days_after_its_last_change_and_three_days_after_the_warning()
    {
        var owner = await CitizenAsync();
        var draft = await DraftAsync(owner.Id, TimeSpan.FromDays(28));
        var forgotten = await DraftAsync(owner.Id, TimeSpan.FromDays(45));
        var path = $"dossiers/{draft:N}/{Guid.NewGuid():N}.pdf";
        var store = portal.Services.GetRequiredService<IFileStore>();
        await store.SaveAsync(path, new MemoryStream(SampleFiles.Pdf()), Cancel);
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.DossierFiles.Add(new DossierFile
            {
                DossierId = draft, ComponentId = 0, FileName = "To khai.pdf", StoragePath = path, ContentType = "application/pdf",
                Size = SampleFiles.Pdf().Length, Sha256 = new string('0', 64), UploadedAt = Now - TimeSpan.FromDays(28),
            });
            await db.SaveChangesAsync(Cancel);
        }

        // First pass: both warned, none deleted, not even the 45-day-old draft nobody had warned.
        await PassAsync();
        Assert.NotNull(await FindAsync(forgotten));
        Assert.Equal(2, (await WarningsToAsync(owner.Email)).Count);

        // Thirty days old, but warned only two days ago: kept.
        clock.Advance(TimeSpan.FromDays(2));
        await PassAsync();
        Assert.NotNull(await FindAsync(draft));
        Assert.NotNull(await FindAsync(forgotten));
        Assert.True(store.Exists(path));

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await PassAsync();

        Assert.Null(await FindAsync(draft));
        Assert.Null(await FindAsync(forgotten));
        Assert.False(store.Exists(path));
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.False(await db.DossierFiles.AnyAsync(f => f.DossierId == draft, Cancel));
        }

        Assert.Equal(2, (await WarningsToAsync(owner.Email)).Count);
    }

    [Fact]
    public async Task A_warned_draft_the_owner_changes_again_is_kept_and_warned_again_when_its_new_time_runs_out()
    {
        var owner = await CitizenAsync();
        var draft = await DraftAsync(owner.Id, TimeSpan.FromDays(28));
        await PassAsync();
        Assert.Single(await WarningsToAsync(owner.Email));

        clock.Advance(TimeSpan.FromDays(1));
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Dossiers.SingleAsync(d => d.Id == draft, Cancel)).Touch(Now);
            await db.SaveChangesAsync(Cancel);
        }

        // Four days after the warning and 33 after it was started, but changed three days ago: kept, not warned again yet.
        clock.Advance(TimeSpan.FromDays(3));
        await PassAsync();
        Assert.NotNull(await FindAsync(draft));
        Assert.Single(await WarningsToAsync(owner.Email));

        // 27 days and an hour after the change: warned a second time.
        clock.Advance(TimeSpan.FromDays(24) + TimeSpan.FromHours(1));
        await PassAsync();
        Assert.Equal(2, (await WarningsToAsync(owner.Email)).Count);
        Assert.NotNull(await FindAsync(draft));

        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(1));
        await PassAsync();
        Assert.Null(await FindAsync(draft));
    }

    [Fact]
    public async Task A_submitted_dossier_is_never_warned_nor_deleted_however_old()
    {
        var owner = await CitizenAsync();
        var id = await DraftAsync(owner.Id, TimeSpan.FromDays(60));
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            (await db.Dossiers.SingleAsync(d => d.Id == id, Cancel)).Submit("TEST-" + Guid.NewGuid().ToString("N")[..12], null, Now - TimeSpan.FromDays(59));
            await db.SaveChangesAsync(Cancel);
        }

        await PassAsync();
        clock.Advance(TimeSpan.FromDays(10));
        await PassAsync();

        var dossier = await FindAsync(id);
        Assert.NotNull(dossier);
        Assert.Equal(DossierStatus.Submitted, dossier.Status);
        Assert.Null(dossier.DraftWarnedAt);
        Assert.Empty(await WarningsToAsync(owner.Email));
    }

    [Fact]
    public async Task Two_instances_running_at_once_warn_each_draft_once()
    {
        var owner = await CitizenAsync();
        var drafts = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            drafts.Add(await DraftAsync(owner.Id, TimeSpan.FromDays(28)));
        }

        await Task.WhenAll(PassAsync(), PassAsync());

        var mails = await WarningsToAsync(owner.Email);
        Assert.Equal(5, mails.Count);
        Assert.All(drafts, d => Assert.Single(mails, m => m.Body.Contains($"/nop-ho-so/{d}/nguoi-nop", StringComparison.Ordinal)));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class DraftExpiryTestsOnSqlite(SqlitePortal portal) : DraftExpiryTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class DraftExpiryTestsOnPostgreSql(PostgresPortal portal) : DraftExpiryTests(portal);
