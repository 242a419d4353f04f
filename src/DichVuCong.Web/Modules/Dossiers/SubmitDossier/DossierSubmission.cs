using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Web;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers.EForms;
using DichVuCong.Web.Modules.Notifications;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Dossiers.SubmitDossier;

/// <summary>
/// Sends a complete draft: gives its code, marks it submitted and queues the e-mail and SMS, in one
/// transaction. A second send of the same draft (a double click, a retried API call) changes nothing: the
/// status is a concurrency token, so the later update fails and the caller shows the dossier as it is.
/// </summary>
internal sealed partial class DossierSubmission(AppDbContext db, DossierCodes codes, CatalogNames names, EFormRegistry eforms, PersonalStore.PersonalDocuments store, NoticeTemplates notices, TimeProvider time, ILogger<DossierSubmission> logger)
{
    /// <summary>The problems that keep the draft from being sent, by step; empty when it was sent (by this call or a concurrent one).</summary>
    /// <param name="components">The procedure's components when the caller has them already; else they are read.</param>
    public async Task<List<(string Step, string Key, string Message)>> SendAsync(
        Dossier dossier, AppUser owner, bool ownerMaySubmit, string? submitKey, CancellationToken cancellationToken, IReadOnlyList<Wizard.Component>? components = null)
    {
        components ??= await ComponentsAsync(db, dossier.ProcedureId, cancellationToken);
        var problems = Wizard.Check(dossier, owner.Kind, await names.EFormOfAsync(dossier, eforms, cancellationToken), components, Common.Time.VietnamTime.Today(time));
        if (!ownerMaySubmit)
        {
            problems.Insert(0, ("xac-minh", "account", AccountStatus.UnverifiedMessage));
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (procedure, agency, agencyCode) = await names.OfAsync(dossier, cancellationToken);
        agencyCode ??= await db.Agencies.Where(a => a.Id == dossier.AgencyId).Select(a => a.Code).SingleAsync(cancellationToken);
        var fee = await Fees.QuoteAsync(db, dossier.ProcedureId, FeeInputOf(dossier, Common.Time.VietnamTime.Today(time)), cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var code = await codes.NextAsync(dossier.AgencyId, agencyCode, cancellationToken);
            dossier.Submit(code, submitKey, now);
            if (fee is not null)
            {
                dossier.SetFee(fee.Total, fee.Details);
            }

            await notices.QueueAsync(
                db,
                NoticeKind.Submitted,
                new NoticeRecipient(owner.Id, owner.FullName, owner.EmailConfirmed ? owner.Email : null, owner.PhoneNumberConfirmed ? owner.PhoneNumber : null),
                new NoticeFacts(dossier.Id, code, procedure, agency, now),
                cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Sent a moment ago by another request; nothing to do.
            db.ChangeTracker.Clear();
            return problems;
        }

        try
        {
            // The filed documents go to the person's data store, to offer them in later dossiers. The dossier
            // is already sent: a failure here costs only that convenience, never the submission.
            await store.KeepDossierFilesAsync(dossier, components.ToDictionary(c => c.Id, c => c.Name), null, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or DbUpdateException or HttpRequestException)
        {
            LogKeepFailed(logger, dossier.Id, ex);
        }

        return problems;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dossier {Id} was sent but its files could not be kept in the personal data store.")]
    private static partial void LogKeepFailed(ILogger logger, Guid id, Exception exception);

    /// <summary>What the fee of a dossier sent today depends on; every dossier of the portal is submitted online.</summary>
    public static FeeInput FeeInputOf(Dossier dossier, DateOnly today) =>
        new(EFormRegistry.FromJson(dossier.EFormJson), today, Online: true, dossier.AgencyId);

    public static async Task<List<Wizard.Component>> ComponentsAsync(AppDbContext db, int procedureId, CancellationToken cancellationToken) =>
        await db.Procedures.Where(p => p.Id == procedureId).SelectMany(p => p.Components)
            .OrderBy(c => c.SortOrder).Select(c => new Wizard.Component(c.Id, c.Name, c.Required, c.Note)).ToListAsync(cancellationToken);
}

/// <summary>The names of a dossier's procedure and agency, from the catalog snapshot.</summary>
internal sealed class CatalogNames(Catalog.CatalogIndex catalog)
{
    /// <summary>The procedure's and agency's names, and the agency's code (null when the snapshot does not know the agency yet).</summary>
    public async Task<(string Procedure, string Agency, string? AgencyCode)> OfAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        var agency = snapshot.Agencies.Find(dossier.AgencyId);
        return (snapshot.Procedures.FirstOrDefault(p => p.Id == dossier.ProcedureId)?.Name ?? string.Empty, agency?.Name ?? string.Empty, agency?.Code);
    }

    public async Task<EForm?> EFormOfAsync(Dossier dossier, EFormRegistry eforms, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        return snapshot.Procedures.FirstOrDefault(p => p.Id == dossier.ProcedureId) is { } p ? eforms.Find(p.Code) : null;
    }
}
