using System.Text.RegularExpressions;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Accounts.Verification;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DichVuCong.Tests.Modules.Accounts;

/// <summary>The rules of one-time codes, on the real database, with the clock moved by the test.</summary>
public abstract class OneTimeCodeTests(PortalFixture portal)
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));

    private async Task<AppUser> NewUserAsync()
    {
        var person = NewCitizen.Make();
        using var scope = portal.Services.CreateScope();
        var user = new AppUser { UserName = person.CitizenId, CitizenId = person.CitizenId, FullName = "Đỗ Văn Giang", Kind = AccountKind.Citizen, Email = person.Email, PhoneNumber = person.Phone };
        Assert.True((await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().CreateAsync(user)).Succeeded);
        return user;
    }

    /// <summary>Queues a code as the portal does and returns it as the person would read it, or null when told to wait.</summary>
    private async Task<string?> SendAsync(AppUser user)
    {
        using var scope = portal.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await new OneTimeCodes(db, clock).QueueAsync(user, CodePurpose.VerifyEmail, MessageChannel.Email, user.Email!, default) is not null)
        {
            return null;
        }

        await db.SaveChangesAsync();
        var body = db.ChangeTracker.Entries<OutboxMessage>().Single().Entity.Body;
        return Regex.Match(body, @"\b\d{6}\b").Value;
    }

    private async Task<CodeCheck> CheckAsync(AppUser user, string code)
    {
        using var scope = portal.Services.CreateScope();
        return await new OneTimeCodes(scope.ServiceProvider.GetRequiredService<AppDbContext>(), clock).CheckAsync(user.Id, CodePurpose.VerifyEmail, code, default);
    }

    private static string Other(string code) => code == "000000" ? "111111" : "000000";

    [Fact]
    public async Task A_code_works_once_within_five_minutes_and_not_after()
    {
        var user = await NewUserAsync();
        var code = (await SendAsync(user))!;

        clock.Advance(TimeSpan.FromMinutes(4.9));
        Assert.Equal(new CodeCheck.Accepted(user.Email!), await CheckAsync(user, code));
        Assert.IsType<CodeCheck.NeedsNewCode>(await CheckAsync(user, code));

        clock.Advance(TimeSpan.FromMinutes(1));
        var late = (await SendAsync(user))!;
        clock.Advance(TimeSpan.FromMinutes(5.1));
        Assert.IsType<CodeCheck.NeedsNewCode>(await CheckAsync(user, late));
    }

    [Fact]
    public async Task Five_wrong_tries_count_down_then_even_the_right_code_needs_a_new_one()
    {
        var user = await NewUserAsync();
        var code = (await SendAsync(user))!;

        Assert.Equal(new CodeCheck.Wrong(4), await CheckAsync(user, Other(code)));
        Assert.Equal(new CodeCheck.Wrong(3), await CheckAsync(user, Other(code)));
        Assert.Equal(new CodeCheck.Wrong(2), await CheckAsync(user, Other(code)));
        Assert.Equal(new CodeCheck.Wrong(1), await CheckAsync(user, Other(code)));
        Assert.IsType<CodeCheck.NeedsNewCode>(await CheckAsync(user, Other(code)));
        Assert.IsType<CodeCheck.NeedsNewCode>(await CheckAsync(user, code));
    }

    [Fact]
    public async Task Twenty_guesses_at_once_are_counted_as_five_at_most()
    {
        var user = await NewUserAsync();
        var code = (await SendAsync(user))!;

        var guesses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CheckAsync(user, (i == 19 ? code : Other(code)))));

        Assert.True(guesses.Count(g => g is CodeCheck.Wrong) <= 5);
        using var scope = portal.Services.CreateScope();
        var attempts = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<OneTimeCode>().Where(c => c.UserId == user.Id).Select(c => c.Attempts).SingleAsync();
        Assert.Equal(OneTimeCode.MaxAttempts, attempts);
    }

    [Fact]
    public async Task A_new_code_waits_a_minute_after_the_last_and_there_are_five_an_hour_at_most()
    {
        var user = await NewUserAsync();
        var first = (await SendAsync(user))!;
        Assert.Null(await SendAsync(user));

        clock.Advance(TimeSpan.FromSeconds(61));
        var second = await SendAsync(user);
        Assert.NotNull(second);
        Assert.IsNotType<CodeCheck.Accepted>(await CheckAsync(user, first == second ? Other(first) : first));

        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(61));
            Assert.NotNull(await SendAsync(user));
        }

        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(await SendAsync(user));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(await SendAsync(user));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class OneTimeCodeTestsOnSqlite(SqlitePortal portal) : OneTimeCodeTests(portal);

[Collection(PostgresCollection.Name)]
public sealed class OneTimeCodeTestsOnPostgreSql(PostgresPortal portal) : OneTimeCodeTests(portal);
