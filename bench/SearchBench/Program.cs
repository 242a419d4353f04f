// Times SearchProceduresHandler.Rank — the catalog search behind /thu-tuc and GET /api/v1/procedures —
// over 5,000 ProcedureEntry items built by repeating the seeded procedures (procedures.json, embedded
// in the web assembly) with unique synthetic codes. The folded search text comes from the app's own
// Procedure.RefreshSearchText (VietnameseText.Fold), so nothing of the search is reimplemented here.
//
// Usage: DichVuCong.Bench [count=5000] [iterations=200]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Text;
using DichVuCong.Web.Modules.Catalog;
using DichVuCong.Web.Modules.Catalog.SearchProcedures;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
const int WarmUp = 50;

var seed = SeedData.Read<CatalogSeeder.CatalogSeed>("procedures.json");
if (seed.Procedures.Count == 0)
{
    Console.Error.WriteLine("procedures.json has no procedures.");
    return 1;
}

var fields = seed.Fields.ToDictionary(f => f.Code, f => new Field { Code = f.Code, Name = f.Name }, StringComparer.Ordinal);

var before = GC.GetTotalMemory(forceFullCollection: true);
var entries = new List<ProcedureEntry>(count);
for (var i = 0; i < count; i++)
{
    var s = seed.Procedures[i % seed.Procedures.Count];
    // The first copy keeps the real national code; the others get unique synthetic ones.
    var code = i < seed.Procedures.Count ? s.Code : string.Create(CultureInfo.InvariantCulture, $"9.{i:D6}");
    var procedure = new Procedure
    {
        Code = code,
        Name = s.Name,
        Steps = s.Steps,
        LegalBasis = s.LegalBasis,
        Result = s.Result,
        Applicants = s.Applicants,
        Conditions = s.Conditions,
        ImplementingBody = s.ImplementingBody,
    };
    foreach (var component in s.Components)
    {
        procedure.Components.Add(new DocumentComponent { Name = component.Name });
    }

    procedure.RefreshSearchText();
    var field = fields.TryGetValue(s.Field, out var f) ? f : new Field { Code = s.Field, Name = s.Field };
    entries.Add(new ProcedureEntry(
        i + 1,
        procedure.Code,
        procedure.Name,
        field,
        [.. s.Levels.Order()],
        s.OnlineLevel,
        s.Featured,
        [],
        procedure.SearchName,
        procedure.SearchBody));
}

// Same order as CatalogIndex's snapshot: folded name, then code.
var snapshot = entries
    .OrderBy(p => VietnameseText.Fold(p.Name), StringComparer.Ordinal)
    .ThenBy(p => p.Code, StringComparer.Ordinal)
    .ToList();
var after = GC.GetTotalMemory(forceFullCollection: true);
GC.KeepAlive(entries);

var searchChars = snapshot.Sum(p => (long)p.SearchName.Length + p.SearchBody.Length);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Entries: {snapshot.Count} ({seed.Procedures.Count} seeded procedures repeated), folded search text {searchChars / 1024.0 / 1024.0:F1} Mi chars, managed heap for entries+snapshot ≈ {(after - before) / 1024.0 / 1024.0:F1} MiB ({(after - before) / (double)snapshot.Count:F0} B/procedure)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Runtime {Environment.Version}, {Environment.ProcessorCount} CPU(s), server GC: {System.Runtime.GCSettings.IsServerGC}; {WarmUp} warm-up rounds over all queries, then {iterations} timed calls per query"));
Console.WriteLine();

string[] queries =
[
    "khai sinh",
    "Đăng ký khai sinh",
    "đăng ký kết hôn",
    "dang ky ket hon",
    "ĐĂNG KÝ KẾT HÔN".Normalize(NormalizationForm.FormD),
    "1.001193",
    "1.0011",
    "chứng thực",
    "giay phep xay dung",
    "kha",
    "ho",
    "thủ tục không tồn tại xyzzy",
];

Console.WriteLine("| Query | Matches | Median (ms) | p99 (ms) | Max (ms) |");
Console.WriteLine("|---|---:|---:|---:|---:|");
// Warm every query up first, so the JIT has reached its final tier before any query is timed.
for (var i = 0; i < WarmUp; i++)
{
    foreach (var q in queries)
    {
        _ = SearchProceduresHandler.Rank(snapshot, q);
    }
}

var samples = new double[iterations];
foreach (var q in queries)
{
    var matches = 0;
    for (var i = 0; i < iterations; i++)
    {
        var start = Stopwatch.GetTimestamp();
        var result = SearchProceduresHandler.Rank(snapshot, q);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        matches = result.Count;
    }

    Array.Sort(samples);
    var median = iterations % 2 == 1 ? samples[iterations / 2] : (samples[(iterations / 2) - 1] + samples[iterations / 2]) / 2;
    var p99 = samples[Math.Max(0, (int)Math.Ceiling(0.99 * iterations) - 1)];
    var shown = q.Normalize(NormalizationForm.FormC) == q ? q : q.Normalize(NormalizationForm.FormC) + " (NFD input)";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| `{shown}` | {matches} | {median:F3} | {p99:F3} | {samples[^1]:F3} |"));
}

return 0;
