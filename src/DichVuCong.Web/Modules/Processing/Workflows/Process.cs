using System.Text.Json;
using DichVuCong.Web.Modules.Accounts;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Dossiers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DichVuCong.Web.Modules.Processing.Workflows;

/// <summary>A step of a process: who holds it and how much working time it has.</summary>
internal sealed record ProcessStep(string Code, string Name, string Role, decimal WorkingHours);

/// <summary>
/// An action allowed at a step: which roles may take it, what it needs, where it leads. <see cref="ToStep"/> is
/// null when the dossier stays at the step (a supplement request, attaching the result) or leaves the process
/// (refusal, stop, hand-back).
/// </summary>
internal sealed record ProcessTransition(
    string FromStep,
    WorkflowAction Action,
    string? ToStep,
    IReadOnlyList<string> Roles,
    bool RequiresNote = false,
    bool RequiresFile = false,
    bool StopsClock = false);

/// <summary>
/// One version of the process (quy trình) of a procedure, at one agency or (AgencyId null) the default at any
/// agency. A version is never changed once written: <see cref="Revise"/> makes the next one and the old one stops
/// being current, while dossiers keep the version they started with (Dossier.ProcessId).
/// </summary>
/// <summary>When a dossier owing phí, lệ phí waits for the payment (SPEC §3.5): never, before it is processed, or before its result is handed back.</summary>
internal enum PaymentPoint
{
    None = 0,
    BeforeProcessing = 1,
    BeforeHandBack = 2,
}

internal sealed class Process
{
    public Guid Id { get; private set; } = Guid.NewGuid();

    public int ProcedureId { get; private set; }

    public int? AgencyId { get; private set; }

    public int Version { get; private set; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>The whole time limit the due date (ngày hẹn trả) is computed from at reception.</summary>
    public decimal TimeLimit { get; private set; }

    public TimeLimitUnit TimeLimitUnit { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public bool IsCurrent { get; private set; }

    public IReadOnlyList<ProcessStep> Steps { get; private set; } = [];

    public IReadOnlyList<ProcessTransition> Transitions { get; private set; } = [];

    /// <summary>Where a dossier that owes a fee stops until it is paid (online or at the desk); the clock stands still meanwhile.</summary>
    public PaymentPoint PaymentPoint { get; private set; }

    public static Process Create(int procedureId, int? agencyId, string name, decimal timeLimit, TimeLimitUnit unit, IReadOnlyList<ProcessStep> steps, IReadOnlyList<ProcessTransition> transitions, DateTime now, PaymentPoint paymentPoint = PaymentPoint.None)
    {
        Check(steps, transitions);
        return new Process
        {
            ProcedureId = procedureId, AgencyId = agencyId, Version = 1, Name = name, TimeLimit = timeLimit, TimeLimitUnit = unit,
            Steps = steps, Transitions = transitions, CreatedAt = now, IsCurrent = true, PaymentPoint = paymentPoint,
        };
    }

    /// <summary>The next version with other steps or transitions; this one is no longer current but stays for the dossiers on it.</summary>
    public Process Revise(IReadOnlyList<ProcessStep> steps, IReadOnlyList<ProcessTransition> transitions, DateTime now, string? name = null)
    {
        Check(steps, transitions);
        IsCurrent = false;
        return new Process
        {
            ProcedureId = ProcedureId, AgencyId = AgencyId, Version = Version + 1, Name = name ?? Name, TimeLimit = TimeLimit, TimeLimitUnit = TimeLimitUnit,
            Steps = steps, Transitions = transitions, CreatedAt = now, IsCurrent = true, PaymentPoint = PaymentPoint,
        };
    }

    public ProcessStep FirstStep => Steps[0];

    public ProcessStep? Step(string? code) => Steps.FirstOrDefault(s => s.Code == code);

    public IEnumerable<ProcessTransition> At(string step) => Transitions.Where(t => t.FromStep == step);

    private static void Check(IReadOnlyList<ProcessStep> steps, IReadOnlyList<ProcessTransition> transitions)
    {
        if (steps.Count == 0 || steps.Select(s => s.Code).Distinct().Count() != steps.Count)
        {
            throw new ArgumentException("A process needs steps with distinct codes.", nameof(steps));
        }

        var codes = steps.Select(s => s.Code).ToHashSet();
        if (transitions.FirstOrDefault(t => !codes.Contains(t.FromStep) || (t.ToStep is not null && !codes.Contains(t.ToStep)) || t.Roles.Count == 0) is { } wrong)
        {
            throw new ArgumentException($"Transition {wrong.Action} from {wrong.FromStep} names an unknown step or no role.", nameof(transitions));
        }

        if (steps.FirstOrDefault(s => !AgencyScope.OfficerRoles.Contains(s.Role)) is { } odd)
        {
            throw new ArgumentException($"Step {odd.Code} has role {odd.Role}, which is no officer role.", nameof(steps));
        }
    }
}

internal sealed class ProcessMapping : IEntityTypeConfiguration<Process>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<Process> e)
    {
        e.ToTable("Processes");
        e.HasIndex(x => new { x.ProcedureId, x.AgencyId, x.Version }).IsUnique();
        e.HasIndex(x => new { x.ProcedureId, x.IsCurrent });
        e.Property(x => x.Name).HasMaxLength(300);
        e.Property(x => x.TimeLimit).HasPrecision(9, 2);
        e.Property(x => x.TimeLimitUnit).HasConversion<int>();
        e.Property(x => x.PaymentPoint).HasConversion<int>();
        // Each version is one immutable document: steps and transitions are read and written whole, as JSON.
        e.Property(x => x.Steps).HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<List<ProcessStep>>(v, Json) ?? new List<ProcessStep>(),
            new ValueComparer<IReadOnlyList<ProcessStep>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v));
        e.Property(x => x.Transitions).HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<List<ProcessTransition>>(v, Json) ?? new List<ProcessTransition>(),
            new ValueComparer<IReadOnlyList<ProcessTransition>>((a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json), v => v.Count, v => v));
        // A procedure removed from the catalog takes its processes with it; one that dossiers used cannot be removed (their key holds it).
        e.HasOne<Procedure>().WithMany().HasForeignKey(x => x.ProcedureId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Agency>().WithMany().HasForeignKey(x => x.AgencyId).OnDelete(DeleteBehavior.Restrict);
    }
}
