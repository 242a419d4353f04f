using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Processing.Workflows;

/// <summary>
/// Seeds the processes of SeedData/processes.json: the real ones of the procedures it names, and the generic
/// four-step one for every other procedure, its step hours shared out of the procedure's own time limit.
/// Each procedure once (a process an administrator revised is never overwritten).
/// </summary>
internal sealed class ProcessSeeder(TimeProvider time) : ISeeder
{
    public int Order => 25;

    public async Task SeedAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var file = SeedData.Read<ProcessesFile>("processes.json");
        var applied = await db.AppliedAsync("process:", cancellationToken);
        var seeded = await db.Set<Process>().Select(p => p.ProcedureId).Distinct().ToHashSetAsync(cancellationToken);
        var procedures = await db.Procedures.AsNoTracking().Include(p => p.Channels).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var procedure in procedures)
        {
            var key = "process:" + procedure.Code;
            if (applied.Contains(key) || seeded.Contains(procedure.Id))
            {
                continue;
            }

            var own = file.Processes.FirstOrDefault(p => p.Procedure == procedure.Code);
            var process = own is not null
                ? Process.Create(procedure.Id, null, own.Name, own.TimeLimit, own.TimeLimitUnit, [.. own.Steps.Select(s => new ProcessStep(s.Code, s.Name, s.Role, s.WorkingHours))], [.. own.Transitions.Select(Of)], now, own.PaymentPoint)
                : Default(procedure, file.Default, now);
            db.Add(process);
            db.MarkApplied(key, now);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static Process Default(Procedure procedure, DefaultSeed template, DateTime now)
    {
        // The online channel's limit when there is one (dossiers come from the portal), else the first that gives a number.
        var channel = procedure.Channels.Where(c => c.TimeLimit is not null).OrderBy(c => c.Kind == ChannelKind.Online ? 0 : 1).FirstOrDefault();
        var (limit, unit) = channel is null ? (5m, TimeLimitUnit.WorkingDays) : (channel.TimeLimit!.Value, channel.TimeLimitUnit);
        var hours = unit switch
        {
            TimeLimitUnit.SameDay => 8m,
            TimeLimitUnit.WorkingHours => limit,
            TimeLimitUnit.CalendarDays => Math.Ceiling(limit * 5 / 7) * 8,
            _ => limit * 8,
        };
        var steps = template.Steps.Select(s => new ProcessStep(s.Code, s.Name, s.Role, Math.Round(hours * s.Share, 1))).ToList();
        return Process.Create(procedure.Id, null, template.Name, limit, unit, steps, [.. template.Transitions.Select(Of)], now, template.PaymentPoint);
    }

    private static ProcessTransition Of(TransitionSeed t) => new(t.From, t.Action, t.To, t.Roles, t.RequiresNote, t.RequiresFile, t.StopsClock);

    private sealed record ProcessesFile(List<ProcessSeed> Processes, DefaultSeed Default);

    private sealed record ProcessSeed(string Procedure, string Name, decimal TimeLimit, TimeLimitUnit TimeLimitUnit, List<StepSeed> Steps, List<TransitionSeed> Transitions, PaymentPoint PaymentPoint = PaymentPoint.None);

    private sealed record DefaultSeed(string Name, List<StepSeed> Steps, List<TransitionSeed> Transitions, PaymentPoint PaymentPoint = PaymentPoint.None);

    private sealed record StepSeed(string Code, string Name, string Role, decimal WorkingHours, decimal Share);

    private sealed record TransitionSeed(string From, WorkflowAction Action, string? To, List<string> Roles, bool RequiresNote, bool RequiresFile, bool StopsClock);
}

/// <summary>Finds the process a dossier follows: its own version once started, else the current one for its procedure and agency.</summary>
internal sealed class Processes(AppDbContext db)
{
    public async Task<Process?> ForAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        if (dossier.ProcessId is { } id)
        {
            return await db.Set<Process>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        }

        return await CurrentAsync(dossier.ProcedureId, dossier.AgencyId, cancellationToken);
    }

    /// <summary>The agency's own current version wins over the procedure's default.</summary>
    public async Task<Process?> CurrentAsync(int procedureId, int agencyId, CancellationToken cancellationToken) =>
        await db.Set<Process>().AsNoTracking()
            .Where(p => p.ProcedureId == procedureId && p.IsCurrent && (p.AgencyId == agencyId || p.AgencyId == null))
            .OrderBy(p => p.AgencyId == null ? 1 : 0).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Edits a process by writing its next version; dossiers already on the old one keep it.</summary>
    public async Task<Process> ReviseAsync(Guid processId, IReadOnlyList<ProcessStep> steps, IReadOnlyList<ProcessTransition> transitions, DateTime now, CancellationToken cancellationToken)
    {
        var current = await db.Set<Process>().SingleAsync(p => p.Id == processId && p.IsCurrent, cancellationToken);
        var next = current.Revise(steps, transitions, now);
        db.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        return next;
    }
}
