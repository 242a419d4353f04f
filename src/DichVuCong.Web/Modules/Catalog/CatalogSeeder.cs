using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Storage;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Catalog;

/// <summary>
/// Seeds the demo province (agencies), fields, form templates and procedures from the JSON files in
/// SeedData/. An item is inserted once; what administrators later change or delete stays so.
/// </summary>
internal sealed class CatalogSeeder(IFileStore files, TimeProvider time, CatalogIndex index) : ISeeder
{
    public int Order => 10;

    public async Task SeedAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var applied = await db.AppliedAsync("catalog:", cancellationToken);
        var changed = false;

        changed |= await SeedAgenciesAsync(db, applied, now, cancellationToken);
        var catalog = SeedData.Read<CatalogSeed>("procedures.json");
        changed |= await SeedFieldsAsync(db, catalog.Fields, applied, now, cancellationToken);
        changed |= await SeedTemplatesAsync(db, applied, now, cancellationToken);
        changed |= await SeedProceduresAsync(db, catalog.Procedures, applied, now, cancellationToken);
        changed |= await OfferOnlineAsync(db, catalog.Procedures, SameDayCopy, applied, now, cancellationToken);
        changed |= await SeedFeesAsync(db, applied, now, cancellationToken);

        if (changed)
        {
            index.Invalidate();
        }
    }

    private static async Task<bool> SeedAgenciesAsync(AppDbContext db, HashSet<string> applied, DateTime now, CancellationToken ct)
    {
        var roots = SeedData.Read<List<AgencySeed>>("agencies.json");
        var existing = await db.Agencies.ToDictionaryAsync(a => a.Code, ct);
        var added = false;
        var order = 0;

        async Task AddAsync(AgencySeed seed, Agency? parent)
        {
            var key = "catalog:agency:" + seed.Code;
            if (!existing.TryGetValue(seed.Code, out var agency) && !applied.Contains(key))
            {
                agency = new Agency
                {
                    Code = seed.Code,
                    Name = seed.Name,
                    Level = seed.Level,
                    Address = seed.Address,
                    Phone = seed.Phone,
                    Email = seed.Email,
                    ReceivesDossiers = seed.ReceivesDossiers,
                    SortOrder = order,
                };
                if (parent is not null)
                {
                    parent.Children.Add(agency);
                }
                else
                {
                    db.Agencies.Add(agency);
                }

                existing[seed.Code] = agency;
                db.MarkApplied(key, now);
                added = true;
            }

            order++;
            foreach (var child in seed.Children)
            {
                await AddAsync(child, agency);
            }
        }

        foreach (var root in roots)
        {
            await AddAsync(root, null);
        }

        if (added)
        {
            await db.SaveChangesAsync(ct);
        }

        return added;
    }

    private static async Task<bool> SeedFieldsAsync(AppDbContext db, List<FieldSeed> fields, HashSet<string> applied, DateTime now, CancellationToken ct)
    {
        var existing = await db.Fields.Select(f => f.Code).ToHashSetAsync(ct);
        var added = false;
        for (var i = 0; i < fields.Count; i++)
        {
            var key = "catalog:field:" + fields[i].Code;
            if (existing.Contains(fields[i].Code) || applied.Contains(key))
            {
                continue;
            }

            db.Fields.Add(new Field { Code = fields[i].Code, Name = fields[i].Name, SortOrder = i });
            db.MarkApplied(key, now);
            added = true;
        }

        await db.SaveChangesAsync(ct);
        return added;
    }

    private async Task<bool> SeedTemplatesAsync(AppDbContext db, HashSet<string> applied, DateTime now, CancellationToken ct)
    {
        var templates = SeedData.Read<List<TemplateSeed>>("templates.json");
        var existing = await db.FormTemplates.ToDictionaryAsync(t => t.Key, ct);
        var added = false;
        foreach (var seed in templates)
        {
            var key = "catalog:template:" + seed.Key;
            var path = $"templates/{seed.Key}.docx";
            if (existing.TryGetValue(seed.Key, out var template))
            {
                // The row survived but the file store was emptied (a new disk, a restore): write it again.
                if (!files.Exists(template.StoragePath) && template.StoragePath == path)
                {
                    await WriteTemplateAsync(seed, path, ct);
                }

                continue;
            }

            if (applied.Contains(key))
            {
                continue;
            }

            var size = await WriteTemplateAsync(seed, path, ct);
            db.FormTemplates.Add(new FormTemplate
            {
                Key = seed.Key,
                Title = seed.Title,
                FileName = seed.Key + ".docx",
                ContentType = DocxWriter.ContentType,
                Size = size,
                StoragePath = path,
            });
            db.MarkApplied(key, now);
            added = true;
        }

        await db.SaveChangesAsync(ct);
        return added;
    }

    /// <summary>Chứng thực bản sao từ bản chính: first seeded as in person only, now also online (bản sao điện tử, NĐ 45/2020/NĐ-CP).</summary>
    internal const string SameDayCopy = "2.000815";

    /// <summary>
    /// A correction for databases seeded before a procedure was offered online: once, and only if the procedure is still
    /// as first seeded (not online, no online channel), it gets the seed's online level and online channel.
    /// </summary>
    private static async Task<bool> OfferOnlineAsync(AppDbContext db, List<ProcedureSeed> procedures, string code, HashSet<string> applied, DateTime now, CancellationToken ct)
    {
        var key = "catalog:online:" + code;
        if (applied.Contains(key) || procedures.FirstOrDefault(p => p.Code == code) is not { } seed)
        {
            return false;
        }

        var procedure = await db.Procedures.Include(p => p.Channels).FirstOrDefaultAsync(p => p.Code == code, ct);
        var changed = false;
        if (procedure is not null && procedure.OnlineLevel == OnlineLevel.None && procedure.Channels.All(c => c.Kind != ChannelKind.Online))
        {
            procedure.OnlineLevel = seed.OnlineLevel;
            foreach (var channel in seed.Channels.Where(c => c.Kind == ChannelKind.Online))
            {
                procedure.Channels.Add(new ProcedureChannel
                {
                    Kind = channel.Kind, TimeLimitText = channel.TimeLimitText, TimeLimit = channel.TimeLimit, TimeLimitUnit = channel.TimeLimitUnit,
                    FeeText = channel.FeeText, FeeAmount = channel.FeeAmount, Note = channel.Note,
                });
            }

            procedure.UpdatedAt = now;
            changed = true;
        }

        db.MarkApplied(key, now);
        await db.SaveChangesAsync(ct);
        return changed;
    }

    /// <summary>
    /// Each procedure's fee schedule of SeedData/fees.json, once: not when the procedure already has fee items (an
    /// administrator's) or its schedule was seeded before (and perhaps since emptied on purpose).
    /// </summary>
    private static async Task<bool> SeedFeesAsync(AppDbContext db, HashSet<string> applied, DateTime now, CancellationToken ct)
    {
        var seeds = SeedData.Read<FeesSeed>("fees.json").Items;
        var codes = seeds.Select(s => s.Procedure).Distinct().ToList();
        var procedures = await db.Procedures.Include(p => p.Fees).Where(p => codes.Contains(p.Code)).ToDictionaryAsync(p => p.Code, ct);
        var agencies = await db.Agencies.Select(a => new { a.Id, a.Code }).ToDictionaryAsync(a => a.Code, a => a.Id, ct);
        var changed = false;
        foreach (var group in seeds.GroupBy(s => s.Procedure))
        {
            var key = "catalog:fees:" + group.Key;
            if (applied.Contains(key) || !procedures.TryGetValue(group.Key, out var procedure))
            {
                continue;
            }

            if (procedure.Fees.Count == 0)
            {
                var order = 0;
                foreach (var seed in group)
                {
                    procedure.Fees.Add(new FeeItem
                    {
                        AgencyId = seed.Agency is { } code
                            ? agencies.TryGetValue(code, out var id) ? id : throw new InvalidOperationException($"Fee of {group.Key} names the unknown agency '{code}'.")
                            : null,
                        SortOrder = order++,
                        Name = seed.Name,
                        Kind = seed.Kind,
                        Amount = seed.Amount,
                        Tiers = seed.Tiers ?? [],
                        Unit = seed.Unit,
                        UnitField = seed.UnitField,
                        CopiesField = seed.CopiesField,
                        CapPerCopy = seed.CapPerCopy,
                        LegalBasis = seed.LegalBasis,
                        Exemptions = seed.Exemptions ?? [],
                    });
                }

                // A newer UpdatedAt changes the catalog's signature, so every instance drops its cached procedure page.
                procedure.UpdatedAt = now;
                changed = true;
            }

            db.MarkApplied(key, now);
        }

        await db.SaveChangesAsync(ct);
        return changed;
    }

    private async Task<long> WriteTemplateAsync(TemplateSeed seed, string path, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        DocxWriter.Write(buffer, seed.Paragraphs);
        var size = buffer.Length;
        buffer.Position = 0;
        await files.SaveAsync(path, buffer, ct);
        return size;
    }

    private static async Task<bool> SeedProceduresAsync(AppDbContext db, List<ProcedureSeed> procedures, HashSet<string> applied, DateTime now, CancellationToken ct)
    {
        var existing = await db.Procedures.Select(p => p.Code).ToHashSetAsync(ct);
        var fields = await db.Fields.ToDictionaryAsync(f => f.Code, f => f.Id, ct);
        var templates = await db.FormTemplates.ToDictionaryAsync(t => t.Key, t => t.Id, ct);
        var agencies = await db.Agencies.Select(a => new { a.Id, a.Code, a.Level, a.ReceivesDossiers }).ToListAsync(ct);
        var added = false;

        foreach (var seed in procedures)
        {
            var key = "catalog:procedure:" + seed.Code;
            if (existing.Contains(seed.Code) || applied.Contains(key))
            {
                continue;
            }

            if (!fields.TryGetValue(seed.Field, out var fieldId))
            {
                throw new InvalidOperationException($"Procedure {seed.Code} names the unknown field '{seed.Field}'.");
            }

            var procedure = new Procedure
            {
                Code = seed.Code,
                Name = seed.Name,
                FieldId = fieldId,
                OnlineLevel = seed.OnlineLevel,
                Levels = seed.Levels,
                Decision = seed.Decision,
                ImplementingBody = seed.ImplementingBody,
                Steps = seed.Steps,
                Applicants = seed.Applicants,
                Result = seed.Result,
                LegalBasis = seed.LegalBasis,
                Conditions = seed.Conditions,
                Featured = seed.Featured,
                UpdatedAt = now,
            };
            foreach (var channel in seed.Channels)
            {
                procedure.Channels.Add(new ProcedureChannel
                {
                    Kind = channel.Kind,
                    TimeLimitText = channel.TimeLimitText,
                    TimeLimit = channel.TimeLimit,
                    TimeLimitUnit = channel.TimeLimitUnit,
                    FeeText = channel.FeeText,
                    FeeAmount = channel.FeeAmount,
                    Note = channel.Note,
                });
            }

            for (var i = 0; i < seed.Components.Count; i++)
            {
                var component = seed.Components[i];
                int? templateId = null;
                if (component.Template is { } templateKey)
                {
                    templateId = templates.TryGetValue(templateKey, out var id)
                        ? id
                        : throw new InvalidOperationException($"Procedure {seed.Code} names the unknown template '{templateKey}'.");
                }

                procedure.Components.Add(new DocumentComponent
                {
                    SortOrder = i,
                    Name = component.Name,
                    Originals = component.Originals,
                    Copies = component.Copies,
                    Required = component.Required,
                    Note = component.Note,
                    TemplateId = templateId,
                });
            }

            foreach (var agencyRef in seed.Agencies)
            {
                var ids = agencyRef.StartsWith('@')
                    ? agencies.Where(a => a.ReceivesDossiers && string.Equals(a.Level.ToString(), agencyRef[1..], StringComparison.OrdinalIgnoreCase)).Select(a => a.Id)
                    : agencies.Where(a => a.Code == agencyRef).Select(a => a.Id);
                var matched = ids.ToList();
                if (matched.Count == 0)
                {
                    throw new InvalidOperationException($"Procedure {seed.Code} names the unknown agency '{agencyRef}'.");
                }

                foreach (var id in matched.Where(id => procedure.Agencies.All(pa => pa.AgencyId != id)))
                {
                    procedure.Agencies.Add(new ProcedureAgency { AgencyId = id });
                }
            }

            procedure.RefreshSearchText();
            db.Procedures.Add(procedure);
            db.MarkApplied(key, now);
            added = true;
        }

        await db.SaveChangesAsync(ct);
        return added;
    }

    internal sealed record AgencySeed(
        string Code,
        string Name,
        AgencyLevel Level,
        string? Address,
        string? Phone,
        string? Email,
        bool ReceivesDossiers,
        List<AgencySeed> Children)
    {
        public List<AgencySeed> Children { get; init; } = Children ?? [];
    }

    internal sealed record CatalogSeed(List<FieldSeed> Fields, List<ProcedureSeed> Procedures);

    internal sealed record FieldSeed(string Code, string Name);

    internal sealed record ProcedureSeed(
        string Code,
        string Name,
        string Field,
        List<AgencyLevel> Levels,
        List<string> Agencies,
        OnlineLevel OnlineLevel,
        string? Decision,
        string? ImplementingBody,
        List<string> Steps,
        string? Applicants,
        string? Result,
        List<string> LegalBasis,
        string? Conditions,
        bool Featured,
        List<ChannelSeed> Channels,
        List<ComponentSeed> Components);

    internal sealed record ChannelSeed(
        ChannelKind Kind,
        string TimeLimitText,
        decimal? TimeLimit,
        TimeLimitUnit TimeLimitUnit,
        string FeeText,
        long? FeeAmount,
        string? Note);

    internal sealed record ComponentSeed(string Name, int Originals, int Copies, bool Required, string? Note, string? Template);

    internal sealed record FeesSeed(List<FeeSeed> Items);

    internal sealed record FeeSeed(
        string Procedure,
        string? Agency,
        string Name,
        FeeKind Kind,
        long Amount,
        List<FeeTier>? Tiers,
        string? Unit,
        string? UnitField,
        string? CopiesField,
        long? CapPerCopy,
        string? LegalBasis,
        List<FeeExemption>? Exemptions);

    internal sealed record TemplateSeed(string Key, string Title, List<DocxParagraph> Paragraphs);
}
