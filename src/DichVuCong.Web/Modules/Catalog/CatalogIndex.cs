using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Common.Web;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace DichVuCong.Web.Modules.Catalog;

/// <summary>
/// The catalog held in memory: procedures with their folded search text, fields and the agency tree.
/// A few thousand procedures fit in a few megabytes, and searching them in process answers in
/// milliseconds with the same results on every database (docs/decisions/0003-catalog-search-in-memory.md).
/// The snapshot is rebuilt when this instance changes the catalog, and when another instance did,
/// found by a cheap check of the tables' signature at most every <see cref="RecheckInterval"/>.
/// </summary>
internal sealed class CatalogIndex(IServiceScopeFactory scopes, TimeProvider time, IOutputCacheStore pages) : IDisposable
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim loading = new(1, 1);
    private Snapshot? current;
    private DateTimeOffset checkedAt;

    /// <summary>Forgets the snapshot and the rendered public pages after this instance changed the catalog.</summary>
    public void Invalidate()
    {
        Volatile.Write(ref current, null);
        _ = pages.EvictByTagAsync(WebModule.PublicPageTag, CancellationToken.None).AsTask();
    }

    public void Dispose() => loading.Dispose();

    public async ValueTask<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref current);
        if (snapshot is not null && time.GetUtcNow() - checkedAt < RecheckInterval)
        {
            return snapshot;
        }

        await loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = Volatile.Read(ref current);
            if (snapshot is not null && time.GetUtcNow() - checkedAt < RecheckInterval)
            {
                return snapshot;
            }

            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var signature = await SignatureAsync(db, cancellationToken);
            if (snapshot is null || snapshot.Signature != signature)
            {
                snapshot = await LoadAsync(db, signature, cancellationToken);
                Volatile.Write(ref current, snapshot);
            }

            checkedAt = time.GetUtcNow();
            return snapshot;
        }
        finally
        {
            loading.Release();
        }
    }

    private static async Task<string> SignatureAsync(AppDbContext db, CancellationToken ct)
    {
        var procedures = await db.Procedures.CountAsync(ct);
        var updated = procedures == 0 ? default : await db.Procedures.MaxAsync(p => p.UpdatedAt, ct);
        var agencies = await db.Agencies.CountAsync(ct);
        var fields = await db.Fields.CountAsync(ct);
        return $"{procedures}:{updated.Ticks}:{agencies}:{fields}";
    }

    private static async Task<Snapshot> LoadAsync(AppDbContext db, string signature, CancellationToken ct)
    {
        var fields = await db.Fields.AsNoTracking().OrderBy(f => f.SortOrder).ThenBy(f => f.Name).ToListAsync(ct);
        var agencies = await db.Agencies.AsNoTracking().OrderBy(a => a.SortOrder).ThenBy(a => a.Code).ToListAsync(ct);
        var links = await db.Set<ProcedureAgency>().AsNoTracking().Select(l => new { l.ProcedureId, l.AgencyId }).ToListAsync(ct);
        var byProcedure = links.GroupBy(l => l.ProcedureId).ToDictionary(g => g.Key, g => g.Select(l => l.AgencyId).ToArray());
        var fieldNames = fields.ToDictionary(f => f.Id);
        var rows = await db.Procedures.AsNoTracking()
            .Select(p => new { p.Id, p.Code, p.Name, p.FieldId, p.Levels, p.OnlineLevel, p.Featured, p.SearchName, p.SearchBody })
            .ToListAsync(ct);

        var entries = rows
            .Select(p => new ProcedureEntry(
                p.Id,
                p.Code,
                p.Name,
                fieldNames[p.FieldId],
                [.. p.Levels.Order()],
                p.OnlineLevel,
                p.Featured,
                byProcedure.GetValueOrDefault(p.Id, []),
                p.SearchName,
                p.SearchBody))
            .OrderBy(p => VietnameseText.Fold(p.Name), StringComparer.Ordinal)
            .ThenBy(p => p.Code, StringComparer.Ordinal)
            .ToList();

        return new Snapshot(signature, entries, fields, AgencyNode.BuildTree(agencies, entries));
    }

    internal sealed record Snapshot(string Signature, IReadOnlyList<ProcedureEntry> Procedures, IReadOnlyList<Field> Fields, AgencyTree Agencies)
    {
        public IReadOnlyList<AgencyLevel> LevelsInUse { get; } =
            [.. Procedures.SelectMany(p => p.Levels).Concat(Agencies.All.Select(a => a.Level)).Distinct().Order()];
    }
}

/// <summary>What a list of procedures shows, and what search and filters need.</summary>
internal sealed record ProcedureEntry(
    int Id,
    string Code,
    string Name,
    Field Field,
    AgencyLevel[] Levels,
    OnlineLevel OnlineLevel,
    bool Featured,
    int[] AgencyIds,
    string SearchName,
    string SearchBody);

/// <summary>An agency in the tree, with how many procedures it carries out (itself and below).</summary>
internal sealed record AgencyNode(int Id, string Code, string Name, AgencyLevel Level, int? ParentId, bool ReceivesDossiers)
{
    public List<AgencyNode> Children { get; } = [];

    public int ProcedureCount { get; set; }

    public IEnumerable<AgencyNode> SelfAndDescendants() => Children.SelectMany(c => c.SelfAndDescendants()).Prepend(this);

    public static AgencyTree BuildTree(IReadOnlyList<Agency> agencies, IReadOnlyList<ProcedureEntry> procedures)
    {
        var nodes = agencies.ToDictionary(a => a.Id, a => new AgencyNode(a.Id, a.Code, a.Name, a.Level, a.ParentId, a.ReceivesDossiers));
        var roots = new List<AgencyNode>();
        foreach (var agency in agencies)
        {
            var node = nodes[agency.Id];
            if (agency.ParentId is { } parent && nodes.TryGetValue(parent, out var parentNode))
            {
                parentNode.Children.Add(node);
            }
            else
            {
                roots.Add(node);
            }
        }

        foreach (var node in nodes.Values)
        {
            var ids = node.SelfAndDescendants().Select(n => n.Id).ToHashSet();
            node.ProcedureCount = procedures.Count(p => p.AgencyIds.Any(ids.Contains));
        }

        return new AgencyTree(roots, nodes);
    }
}

internal sealed class AgencyTree(IReadOnlyList<AgencyNode> roots, IReadOnlyDictionary<int, AgencyNode> byId)
{
    private readonly Dictionary<string, AgencyNode> byCode = byId.Values.ToDictionary(n => n.Code, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<AgencyNode> Roots => roots;

    public IEnumerable<AgencyNode> All => roots.SelectMany(r => r.SelfAndDescendants());

    public AgencyNode? Find(string code) => byCode.GetValueOrDefault(code);

    public AgencyNode? Find(int id) => byId.GetValueOrDefault(id);
}
