using System.Security.Claims;
using DichVuCong.Tests.Infrastructure;
using DichVuCong.Tests.Modules.Accounts;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DichVuCong.Tests.Modules.Processing;

/// <summary>A citizen who submitted, with verified contacts so every message reaches them.</summary>
internal sealed record Applicant(Guid Id, string UserName, string Email, string Phone, string CitizenId, string Password);

/// <summary>An officer made for one test (own authenticator steps), as a principal for the services and with a password for the pages.</summary>
internal sealed record Officer(Guid Id, string Email, string FullName, ClaimsPrincipal User);

/// <summary>Dossiers, people and actions for the processing tests.</summary>
internal sealed class Desk(PortalFixture portal)
{
    public const string Password = "Mat-khau-can-bo-1";

    public const string BirthCode = "1.001193";
    public const string CopyCode = "2.000815";
    public const string PermitCode = "1.013225";

    private IServiceProvider Services => portal.Services;

    /// <summary>The demo officers' commune (A) and another one (B).</summary>
    public Task<(int A, int B)> CommunesAsync() => BackOffice.CommunesAsync(Services);

    public async Task<Applicant> ApplicantAsync()
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var person = NewCitizen.Make();
        var user = new AppUser
        {
            UserName = person.CitizenId, CitizenId = person.CitizenId, FullName = "Đỗ Thị Hồ Sơ", Kind = AccountKind.Citizen, CreatedAt = DateTime.UtcNow,
            Email = person.Email, EmailConfirmed = true, PhoneNumber = person.Phone, PhoneNumberConfirmed = true,
        };
        Assert.True((await users.CreateAsync(user, person.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Citizen)).Succeeded);
        return new Applicant(user.Id, person.CitizenId, person.Email, person.Phone, person.CitizenId, person.Password);
    }

    /// <summary>A dossier submitted online at the agency, as the wizard leaves it.</summary>
    public async Task<(Guid Id, string Code)> SubmittedAsync(
        string procedureCode, int agencyId, Applicant applicant, DateTime? at = null, string? fullName = null, DeliveryMethod delivery = DeliveryMethod.AtDesk, string? deliveryAddress = null, string? eformJson = null)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var procedureId = await db.Procedures.Where(p => p.Code == procedureCode).Select(p => p.Id).SingleAsync();
        var when = at ?? DateTime.UtcNow;
        var dossier = Dossier.StartDraft(applicant.Id, procedureId, agencyId, when);
        dossier.SetApplicant(new Web.Modules.Dossiers.Applicant { FullName = fullName ?? "Đỗ Thị Hồ Sơ", IdentityNumber = applicant.CitizenId, Phone = applicant.Phone, Email = applicant.Email });
        dossier.Delivery = delivery;
        dossier.DeliveryAddress = deliveryAddress;
        dossier.EFormJson = eformJson ?? "{}";
        var code = "T-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        dossier.Submit(code, null, when);
        db.Dossiers.Add(dossier);
        await db.SaveChangesAsync();
        return (dossier.Id, code);
    }

    public async Task<Officer> OfficerAsync(int agencyId, string role)
    {
        var (id, email, fullName) = await BackOffice.CreateOfficerAsync(Services, agencyId, role, Password, twoFactor: true);
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id.ToString()), new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Role, role), new Claim(AgencyScope.ClaimType, agencyId.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            "test", ClaimTypes.Name, ClaimTypes.Role));
        return new Officer(id, email, fullName, user);
    }

    /// <summary>A browser signed in as the officer, with both factors.</summary>
    public Task<HttpClient> BrowserAsync(Officer officer) => BackOffice.SignedInAsync(portal.Factory, officer.Email, Password);

    /// <summary>The action service in its own scope, on the given clock.</summary>
    public async Task<ActionOutcome> ActAsync(TimeProvider clock, Officer officer, Guid id, WorkflowAction action, ActionInput? input = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var processing = ActivatorUtilities.CreateInstance<DossierProcessing>(scope.ServiceProvider, clock);
        return await processing.ActAsync(officer.User, id, action, input ?? new ActionInput(), TestContext.Current.CancellationToken);
    }

    public async Task<Dossier> LoadAsync(Guid id)
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Dossiers.AsNoTracking()
            .Include(d => d.Actions).ThenInclude(a => a.Files).Include(d => d.Files).Include(d => d.Events).AsSplitQuery().SingleAsync(d => d.Id == id);
    }

    public async Task<List<Web.Modules.Notifications.OutboxMessage>> MessagesAsync(string recipient)
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().OutboxMessages.AsNoTracking().Where(m => m.Recipient == recipient).ToListAsync();
    }

    /// <summary>Vietnam time as the UTC instant the portal stores.</summary>
    public static DateTimeOffset Vn(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(7));
}
