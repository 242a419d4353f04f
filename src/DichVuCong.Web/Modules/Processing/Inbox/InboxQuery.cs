using System.Security.Claims;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using DichVuCong.Web.Modules.Processing.DueDates;
using DichVuCong.Web.Modules.Processing.ProcessDossier;
using DichVuCong.Web.Modules.Processing.Workflows;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.Inbox;

/// <summary>What the officer asks the inbox for; the view is one of <see cref="InboxQuery.Views"/>.</summary>
internal sealed record InboxFilter(string View, int? AgencyId = null, int? ProcedureId = null, DossierStatus? Status = null, string? Q = null, int Page = 1);

internal sealed record InboxRow(
    Guid Id, string? Code, string Procedure, string Agency, string Applicant, DossierStatus Status, string Step, DateTime? SubmittedAt, DateTime? DueAt, bool Overdue, string? AssignedTo)
{
    /// <summary>"còn 3 giờ làm việc", "quá hạn …"; null when no clock runs (not received, paused, finished).</summary>
    public string? Remaining { get; init; }
}

internal sealed record InboxResult(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<InboxRow> Rows, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// The dossiers of the officer's agencies (Hồ sơ cần xử lý), by view, with a count per view, filters and a search
/// by code, applicant name or exact CCCD, sorted by due date (those not received yet by when they came in).
/// </summary>
internal sealed class InboxQuery(AppDbContext db, CatalogIndex catalog, WorkingCalendars calendars, TimeProvider time)
{
    public const int PageSize = 20;

    public static readonly (string Code, string Label)[] Views =
    [
        ("cua-toi", "Cần tôi xử lý"),
        ("moi", "Mới nộp, chờ tiếp nhận"),
        ("cho-bo-sung", "Chờ bổ sung"),
        ("sap-den-han", "Đến hạn trong 1 ngày làm việc"),
        ("qua-han", "Quá hạn"),
        ("tat-ca", "Tất cả"),
    ];

    /// <summary>Reception starts with new submissions; the others with what waits for them.</summary>
    public static string DefaultView(ClaimsPrincipal user) => user.IsInRole(Roles.Reception) ? "moi" : "cua-toi";

    public async Task<IReadOnlySet<int>> AgenciesAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        return user.IsInRole(Roles.SystemAdmin)
            ? snapshot.Agencies.All.Select(a => a.Id).ToHashSet()
            : await AgencyScope.CoveredAsync(user, catalog, cancellationToken);
    }

    public async Task<InboxResult> RunAsync(ClaimsPrincipal user, InboxFilter filter, CancellationToken cancellationToken)
    {
        var covered = (await AgenciesAsync(user, cancellationToken)).ToList();
        var scope = db.Dossiers.AsNoTracking().Where(d => d.Status != DossierStatus.Draft && covered.Contains(d.AgencyId));
        if (filter.AgencyId is { } agency)
        {
            scope = scope.Where(d => d.AgencyId == agency);
        }

        if (filter.ProcedureId is { } procedure)
        {
            scope = scope.Where(d => d.ProcedureId == procedure);
        }

        if (filter.Status is { } status)
        {
            scope = scope.Where(d => d.Status == status);
        }

        if (filter.Q?.Trim() is { Length: > 0 } q)
        {
            // A CCCD (12 digits) or an old CMND (9) is matched exactly, never by part of it.
            if (q.All(char.IsAsciiDigit) && q.Length is 9 or 12)
            {
                scope = scope.Where(d => d.Applicant.IdentityNumber == q);
            }
            else
            {
                var lower = q.ToLowerInvariant();
                // Translated to SQL lower(…) LIKE '%…%' on both providers; the analyzers' culture rules do not apply in SQL.
#pragma warning disable CA1304, CA1311, CA1862
                scope = scope.Where(d => d.Code!.ToLower().Contains(lower) || d.Applicant.FullName.ToLower().Contains(lower));
#pragma warning restore CA1304, CA1311, CA1862
            }
        }

        var now = time.GetUtcNow();
        var calendar = await calendars.ForAgencyAsync(filter.AgencyId ?? covered.FirstOrDefault(), cancellationToken);
        var soon = calendar.AddWorkingTime(now, TimeSpan.FromHours(8)).UtcDateTime;
        var me = UserClaims.Id(user) ?? Guid.Empty;
        var myRoles = AgencyScope.OfficerRoles.Where(user.IsInRole).ToList();
        var counts = new Dictionary<string, int>();
        foreach (var (code, _) in Views)
        {
            counts[code] = await View(scope, code, now.UtcDateTime, soon, me, myRoles).CountAsync(cancellationToken);
        }

        var view = Views.Any(v => v.Code == filter.View) ? filter.View : "tat-ca";
        var page = Math.Max(1, filter.Page);
        var found = await View(scope, view, now.UtcDateTime, soon, me, myRoles)
            .OrderBy(d => d.DueAt == null).ThenBy(d => d.DueAt).ThenBy(d => d.SubmittedAt)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(d => new { d.Id, d.Code, d.ProcedureId, d.AgencyId, d.Applicant.FullName, d.Status, d.ProcessId, d.CurrentStep, d.SubmittedAt, d.DueAt, d.ClockPausedAt, d.AssignedToId })
            .ToListAsync(cancellationToken);

        var snapshot = await catalog.GetAsync(cancellationToken);
        var processIds = found.Where(d => d.ProcessId != null).Select(d => d.ProcessId!.Value).Distinct().ToList();
        var processes = await db.Set<Process>().AsNoTracking().Where(p => processIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var assigneeIds = found.Where(d => d.AssignedToId != null).Select(d => d.AssignedToId!.Value).Distinct().ToList();
        var assignees = await db.Users.AsNoTracking().Where(u => assigneeIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        var rows = found.Select(d => new InboxRow(
            d.Id, d.Code,
            snapshot.Procedures.FirstOrDefault(p => p.Id == d.ProcedureId)?.Name ?? string.Empty,
            snapshot.Agencies.Find(d.AgencyId)?.Name ?? string.Empty,
            d.FullName, d.Status,
            d.ProcessId is { } pid && processes.TryGetValue(pid, out var p) ? (p.Step(d.CurrentStep) ?? p.FirstStep).Name : "Tiếp nhận hồ sơ",
            d.SubmittedAt, d.DueAt,
            d.DueAt is { } due && d.ClockPausedAt == null && Dossier.Active.Contains(d.Status) && due < now.UtcDateTime,
            d.AssignedToId is { } a ? assignees.GetValueOrDefault(a) : null)).ToList();

        // The working time left, by each dossier's own agency calendar, as on the dossier pages (DossierClock).
        var rowCalendars = new Dictionary<int, WorkingCalendar>();
        for (var i = 0; i < rows.Count; i++)
        {
            var d = found[i];
            if (d.DueAt is not { } due || d.ClockPausedAt is not null || !Dossier.Active.Contains(d.Status))
            {
                continue;
            }

            if (!rowCalendars.TryGetValue(d.AgencyId, out var own))
            {
                own = rowCalendars[d.AgencyId] = await calendars.ForAgencyAsync(d.AgencyId, cancellationToken);
            }

            rows[i] = rows[i] with { Remaining = own.RemainingText(now, DossierProcessing.Local(due)) };
        }

        return new InboxResult(counts, rows, counts[view], page, PageSize);
    }

    private static IQueryable<Dossier> View(IQueryable<Dossier> scope, string view, DateTime now, DateTime soon, Guid me, List<string> myRoles) => view switch
    {
        "moi" => scope.Where(d => d.Status == DossierStatus.Submitted),
        // Given to me by name, or waiting at a step of my role with nobody named.
        "cua-toi" => scope.Where(d => (d.Status == DossierStatus.Received || d.Status == DossierStatus.Processing || d.Status == DossierStatus.ResultReady)
            && (d.AssignedToId == me || (d.AssignedToId == null && d.CurrentRole != null && myRoles.Contains(d.CurrentRole)))),
        "cho-bo-sung" => scope.Where(d => d.Status == DossierStatus.SupplementRequested),
        "sap-den-han" => scope.Where(Dossier.Running).Where(d => d.DueAt >= now && d.DueAt <= soon),
        "qua-han" => scope.Where(Dossier.Running).Where(d => d.DueAt < now),
        _ => scope,
    };
}
