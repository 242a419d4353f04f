using DichVuCong.Web.Common.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace DichVuCong.Web.Modules.Catalog.ViewProcedure;

internal sealed record ProcedureDetails(
    string Code,
    string Name,
    FieldRef Field,
    IReadOnlyList<string> AgencyLevels,
    IReadOnlyList<string> AgencyLevelTexts,
    string OnlineLevel,
    string OnlineLevelText,
    string? Decision,
    string? ImplementingBody,
    IReadOnlyList<AgencyRef> Agencies,
    IReadOnlyList<string> Steps,
    IReadOnlyList<ChannelDetails> Channels,
    IReadOnlyList<ComponentDetails> Components,
    string? Applicants,
    string? Result,
    IReadOnlyList<string> LegalBasis,
    string? Conditions,
    DateTime UpdatedAt,
    IReadOnlyList<FeeDetails> Fees);

internal sealed record FieldRef(string Code, string Name);

internal sealed record AgencyRef(string Code, string Name, string Level);

internal sealed record ChannelDetails(
    string Kind,
    string KindText,
    string TimeLimitText,
    decimal? TimeLimit,
    string TimeLimitUnit,
    string FeeText,
    long? FeeAmount,
    string? Note);

/// <summary>A document of the dossier; <see cref="Id"/> is what a dossier's file names as its component.</summary>
internal sealed record ComponentDetails(int Id, string Name, int Originals, int Copies, bool Required, string? Note, TemplateRef? Template)
{
    /// <summary>Where the blank form can be downloaded, when there is one.</summary>
    public string? TemplateUrl => Template?.Url;
}

/// <summary>
/// One item of the computable fee schedule: <see cref="Price"/> and <see cref="Exemptions"/> in words for people,
/// the numbers for programs. <see cref="Agency"/> is set when the item is one agency's own price.
/// </summary>
internal sealed record FeeDetails(
    string Name,
    AgencyRef? Agency,
    string Kind,
    long? Amount,
    IReadOnlyList<FeeTier> Tiers,
    string? Unit,
    long? CapPerCopy,
    string Price,
    string? LegalBasis,
    IReadOnlyList<string> Exemptions);

internal sealed record TemplateRef(string Key, string Title, string FileName, long Size, string Url);

/// <summary>
/// Reads one procedure's whole record by its national code; the page and the API share it. The record
/// is kept in memory for as long as the catalog snapshot it was read under is current, so a procedure
/// page costs five indexed queries once per catalog change, not per view.
/// </summary>
internal sealed class ViewProcedureHandler(AppDbContext db, CatalogIndex index, IMemoryCache cache)
{
    private static readonly MemoryCacheEntryOptions Keep = new() { SlidingExpiration = TimeSpan.FromMinutes(10), Size = 1 };

    public async Task<ProcedureDetails?> HandleAsync(string code, CancellationToken cancellationToken)
    {
        var catalog = await index.GetAsync(cancellationToken);
        code = code.Trim();
        var key = (nameof(ProcedureDetails), catalog.Signature, code);
        if (cache.TryGetValue(key, out ProcedureDetails? cached))
        {
            return cached;
        }

        var details = await ReadAsync(code, cancellationToken);
        if (details is not null)
        {
            cache.Set(key, details, Keep);
        }

        return details;
    }

    private async Task<ProcedureDetails?> ReadAsync(string code, CancellationToken cancellationToken)
    {
        var procedure = await db.Procedures.AsNoTracking().AsSplitQuery()
            .Include(p => p.Field)
            .Include(p => p.Channels)
            .Include(p => p.Components).ThenInclude(c => c.Template)
            .Include(p => p.Agencies).ThenInclude(a => a.Agency)
            .Include(p => p.Fees)
            .FirstOrDefaultAsync(p => p.Code == code, cancellationToken);
        if (procedure is null)
        {
            return null;
        }

        var levels = procedure.Levels.Order().ToList();
        var agencies = procedure.Agencies
            .Select(a => a.Agency!)
            .OrderBy(a => a.Level).ThenBy(a => a.SortOrder).ThenBy(a => a.Code, StringComparer.Ordinal)
            .Select(a => (a.Id, Ref: new AgencyRef(a.Code, a.Name, Catalog.AgencyLevels.Slug(a.Level))))
            .ToList();
        return new ProcedureDetails(
            procedure.Code,
            procedure.Name,
            new FieldRef(procedure.Field!.Code, procedure.Field.Name),
            levels.Select(Catalog.AgencyLevels.Slug).ToList(),
            levels.Select(Catalog.AgencyLevels.Label).ToList(),
            OnlineLevels.Slug(procedure.OnlineLevel),
            OnlineLevels.Label(procedure.OnlineLevel),
            procedure.Decision,
            procedure.ImplementingBody,
            agencies.Select(a => a.Ref).ToList(),
            procedure.Steps,
            procedure.Channels.OrderBy(c => c.Kind).Select(c => new ChannelDetails(
                ChannelSlug(c.Kind),
                ChannelKinds.Label(c.Kind),
                c.TimeLimitText,
                c.TimeLimit,
                UnitSlug(c.TimeLimitUnit),
                c.FeeText,
                c.FeeAmount,
                c.Note)).ToList(),
            procedure.Components.OrderBy(c => c.SortOrder).Select(c => new ComponentDetails(
                c.Id,
                c.Name,
                c.Originals,
                c.Copies,
                c.Required,
                c.Note,
                c.Template is { } t ? new TemplateRef(t.Key, t.Title, t.FileName, t.Size, "/mau-don/" + t.Key) : null)).ToList(),
            procedure.Applicants,
            procedure.Result,
            procedure.LegalBasis,
            procedure.Conditions,
            procedure.UpdatedAt,
            procedure.Fees.OrderBy(f => f.AgencyId is null ? 0 : 1).ThenBy(f => f.SortOrder).Select(f => new FeeDetails(
                f.Name,
                agencies.FirstOrDefault(a => a.Id == f.AgencyId).Ref,
                f.Kind == FeeKind.Fixed ? "co-dinh" : "theo-so-luong",
                f.Kind == FeeKind.Fixed ? f.Amount : null,
                f.Tiers,
                f.Unit,
                f.CapPerCopy,
                f.PriceText(),
                f.LegalBasis,
                [.. f.Exemptions.Select(FeeItem.ExemptionText)])).ToList());
    }

    private static string ChannelSlug(ChannelKind kind) => kind switch
    {
        ChannelKind.Direct => "truc-tiep",
        ChannelKind.Online => "truc-tuyen",
        _ => "buu-chinh",
    };

    private static string UnitSlug(TimeLimitUnit unit) => unit switch
    {
        TimeLimitUnit.SameDay => "trong-ngay",
        TimeLimitUnit.WorkingHours => "gio-lam-viec",
        TimeLimitUnit.CalendarDays => "ngay",
        _ => "ngay-lam-viec",
    };
}
