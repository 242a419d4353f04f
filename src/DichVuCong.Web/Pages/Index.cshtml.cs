using DichVuCong.Web.Common.Web;
using Microsoft.AspNetCore.OutputCaching;
using DichVuCong.Web.Modules.Catalog;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DichVuCong.Web.Pages;

/// <summary>The home page: search, featured procedures, entry by level, field and agency.</summary>
[OutputCache(PolicyName = WebModule.PublicPageCache)]
internal sealed class IndexModel(CatalogIndex catalog) : PageModel
{
    public IReadOnlyList<ProcedureEntry> Featured { get; private set; } = [];

    public IReadOnlyList<(AgencyLevel Level, int Count)> Levels { get; private set; } = [];

    public IReadOnlyList<(Field Field, int Count)> Fields { get; private set; } = [];

    public IReadOnlyList<AgencyNode> Agencies { get; private set; } = [];

    public int ProcedureCount { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var snapshot = await catalog.GetAsync(cancellationToken);
        ProcedureCount = snapshot.Procedures.Count;
        Featured = snapshot.Procedures.Where(p => p.Featured).Take(12).ToList();
        Levels = snapshot.LevelsInUse.Select(l => (l, snapshot.Procedures.Count(p => p.Levels.Contains(l)))).ToList();
        var counts = snapshot.Procedures.GroupBy(p => p.Field.Id).ToDictionary(g => g.Key, g => g.Count());
        Fields = snapshot.Fields.Select(f => (f, counts.GetValueOrDefault(f.Id))).Where(f => f.Item2 > 0).ToList();
        Agencies = snapshot.Agencies.Roots;
    }
}
