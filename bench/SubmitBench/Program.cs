// A whole submission through the portal's API, side by side with a bare ASP.NET Core endpoint that only
// writes the same upload to disk (docs/performance.md, target 6: a submission at ≥ 0.5× the bare upload).
//
// Usage:
//   DichVuCong.SubmitBench serve <port> <folder>
//       the bare app: POST /upload (multipart "file") → <folder>/<new guid>, 201; nothing else.
//   DichVuCong.SubmitBench run --portal <url> --password <demo password> [--provider Sqlite] [--server-pids "<portal pid> [<postmaster pid>]"]
//       [--workers 8] [--warmup 5] [--duration 20] [--server-cpu 0] [--results <file.md>]
//       starts "serve" in a child process on a free port (pinned with taskset to --server-cpu, as the
//       portal is), drives it, then drives the running portal with the demo citizen, and prints a table.
//   DichVuCong.SubmitBench codes --portal <url> --password <demo password> [--count 3]
//       submits that many whole dossiers as the demo citizen and prints their codes, one a line (bench/run.sh
//       looks them up by code).
//   DichVuCong.SubmitBench draft --portal <url> --password <demo password> --procedure <code>
//       starts a draft of that procedure (at its first receiving agency) as the demo citizen and prints its id
//       (bench/run.sh measures the wizard's pages of it).
//
// Both runs: N workers, each with its own connection pool, loop one operation for warm-up seconds, then
// are counted for duration seconds. An operation is one POST /upload for the bare app, and one WHOLE
// submission for the portal: create a draft, applicant, one upload per required component, delivery,
// submit (with a fresh Idempotency-Key); the submit must answer a dossier code, otherwise the bench fails.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

var mode = args.Length > 0 ? args[0] : string.Empty;
if (mode == "serve" && args.Length == 3)
{
    return await Bare.ServeAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
}

if (mode is not ("run" or "codes" or "draft"))
{
    await Console.Error.WriteLineAsync("usage: DichVuCong.SubmitBench serve <port> <folder> | run --portal <url> --password <p> [options] | codes --portal <url> --password <p> [--count 3] | draft --portal <url> --password <p> --procedure <code>");
    return 2;
}

var options = Options.Parse(args.Skip(1).ToArray());
var payload = Payload.Pdf(100 * 1024);
if (mode != "run")
{
    return mode == "codes" ? await Seed.PrintCodesAsync(options, payload) : await Seed.PrintDraftAsync(options);
}

Console.Error.WriteLine($"[submitbench] {options.Workers} workers, {options.Warmup}s warm-up, {options.Duration}s measured, payload {payload.Length} B");

// 1. The bare upload endpoint, in its own process on the server core.
var folder = Directory.CreateTempSubdirectory("dvc-bare-upload-");
var port = Net.FreePort();
var self = typeof(Options).Assembly.Location;
var start = new ProcessStartInfo(File.Exists("/usr/bin/taskset") ? "/usr/bin/taskset" : Environment.ProcessPath!) { UseShellExecute = false };
if (start.FileName.EndsWith("taskset", StringComparison.Ordinal))
{
    start.ArgumentList.Add("-c");
    start.ArgumentList.Add(options.ServerCpu);
    start.ArgumentList.Add(Environment.ProcessPath!);
}

foreach (var a in new[] { self, "serve", port.ToString(CultureInfo.InvariantCulture), folder.FullName })
{
    start.ArgumentList.Add(a);
}

Result bare;
using (var child = Process.Start(start)!)
{
    try
    {
        var bareUrl = new Uri($"http://127.0.0.1:{port}/");
        await Net.WaitForPortAsync(port, child, TimeSpan.FromSeconds(30));
        bare = await Load.RunAsync(options, [child.Id], async http =>
        {
            using var form = Payload.Form(payload, componentId: null);
            using var response = await http.PostAsync(new Uri(bareUrl, "upload"), form);
            Http.Expect(response, HttpStatusCode.Created, "bare POST /upload");
        }, bareUrl);
        var written = Directory.GetFiles(folder.FullName);
        if (written.Length < bare.Operations || written.Any(f => new FileInfo(f).Length != payload.Length))
        {
            throw new InvalidOperationException($"the bare app wrote {written.Length} files for {bare.Operations} counted uploads, or a file of the wrong size");
        }
    }
    finally
    {
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync();
        folder.Delete(recursive: true);
    }
}

// 2. The portal, already running: one token for the demo citizen, shared by all workers.
var portal = new Uri(options.Portal.TrimEnd('/') + "/");
using var setup = new HttpClient { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(60) };
var token = await Http.JsonAsync(await setup.PostAsync(new Uri(portal, "api/v1/auth/token"), Http.Json(new { userName = "demo.congdan", password = options.Password })), "POST /api/v1/auth/token");
var bearer = token["accessToken"]?.GetValue<string>() ?? throw new InvalidOperationException("no accessToken in the token answer");
var plan = await Plan.FindAsync(setup, portal, bearer, payload);
Console.Error.WriteLine($"[submitbench] procedure {plan.ProcedureCode} at {plan.AgencyCode ?? "(its only agency)"}, {plan.Components.Count} required component(s): {string.Join(", ", plan.Components)}");
var codes = new System.Collections.Concurrent.ConcurrentBag<string>();
var whole = await Load.RunAsync(options, options.ServerPids, async http =>
{
    http.DefaultRequestHeaders.Authorization ??= new AuthenticationHeaderValue("Bearer", bearer);
    codes.Add(await plan.SubmitWholeAsync(http, portal, payload));
}, portal);
var submissions = await Load.RunAsync(options, options.ServerPids, async http =>
{
    http.DefaultRequestHeaders.Authorization ??= new AuthenticationHeaderValue("Bearer", bearer);
    codes.Add(await plan.SubmitOnceAsync(http, portal, payload));
}, portal);
if (codes.Distinct(StringComparer.Ordinal).Count() != codes.Count)
{
    throw new InvalidOperationException("two submissions answered the same dossier code");
}

// 3. Where a submission's time goes: one worker, submissions one after another, the server's CPU and the
// wall time of each step (CPU is read in 10 ms ticks; averaged over the rounds).
const int Rounds = 40;
var steps = new Dictionary<string, (double CpuMs, List<double> WallMs)>(StringComparer.Ordinal);
var stepClock = Stopwatch.StartNew();
var lastCpu = TimeSpan.Zero;
var lastWall = TimeSpan.Zero;
var stepPlan = plan with
{
    AfterStep = name =>
    {
        var cpu = Cpu.Of(options.ServerPids);
        var wall = stepClock.Elapsed;
        if (name != "start")
        {
            if (!steps.TryGetValue(name, out var s))
            {
                s = (0, []);
            }

            s.WallMs.Add((wall - lastWall).TotalMilliseconds);
            steps[name] = (s.CpuMs + (cpu - lastCpu).TotalMilliseconds, s.WallMs);
        }

        lastCpu = cpu;
        lastWall = stepClock.Elapsed;
    },
};
using (var one = new HttpClient { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(60) })
{
    one.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    for (var i = 0; i < Rounds; i++)
    {
        await stepPlan.SubmitOnceAsync(one, portal, payload);
    }
}

// 4. Report.
var requestsPerSubmission = 4 + plan.Components.Count;
var ratio = whole.PerSecond / bare.PerSecond;
var stepsRatio = submissions.PerSecond / bare.PerSecond;
var culture = CultureInfo.InvariantCulture;
var table = new StringBuilder();
table.AppendLine(culture, $"## Submission vs bare upload ({options.Provider})");
table.AppendLine();
table.AppendLine(culture, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {options.Workers} workers (HttpClient, keep-alive), {options.Warmup} s warm-up, {options.Duration} s measured; payload {payload.Length:N0} B starting `%PDF-1.4`; servers on core {options.ServerCpu}");
table.AppendLine(culture, $"- Portal operation = one WHOLE submission of `{plan.ProcedureCode}`, sent two ways: in one call (`POST /api/v1/dossiers/submit`, multipart: the dossier as JSON + {plan.Components.Count} file(s), Idempotency-Key), and step by step as the wizard's API = {requestsPerSubmission} requests (create draft, applicant, {plan.Components.Count} upload(s), delivery, submit with Idempotency-Key); bare operation = ONE `POST /upload` request");
table.AppendLine();
table.AppendLine("| Operation | Requests each | Completed | Operations/s | p50 (ms) | p99 (ms) | Server CPU/operation (ms) | Other load | × bare |");
table.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
table.AppendLine(culture, $"| Bare endpoint: `POST /upload` writes the file to disk | 1 | {bare.Operations} | {bare.PerSecond:F1} | {bare.P50:F2} | {bare.P99:F2} | {bare.CpuMsPerOperation:F2} | {bare.OtherLoad:F0}% | 1.00 |");
table.AppendLine(culture, $"| Portal ({options.Provider}): whole submission in one call | 1 | {whole.Operations} | {whole.PerSecond:F1} | {whole.P50:F2} | {whole.P99:F2} | {whole.CpuMsPerOperation:F2} | {whole.OtherLoad:F0}% | **{ratio:F2}** |");
table.AppendLine(culture, $"| Portal ({options.Provider}): whole submission step by step | {requestsPerSubmission} | {submissions.Operations} | {submissions.PerSecond:F1} | {submissions.P50:F2} | {submissions.P99:F2} | {submissions.CpuMsPerOperation:F2} | {submissions.OtherLoad:F0}% | {stepsRatio:F2} |");
table.AppendLine();
table.AppendLine(culture, $"Target: whole submissions/s (one call) ≥ 0.5 × bare uploads/s → {(ratio >= 0.5 ? "met" : "NOT met")} ({ratio:F2}×; step by step {stepsRatio:F2}×). Every submission answered a distinct dossier code ({codes.Count} codes).");
table.AppendLine(culture, $"Server CPU/operation: CPU time of the server process (the bare app; the portal, plus PostgreSQL and its backends if any{(options.ServerPids.Count > 0 ? string.Empty : " — not given, so not measured")}) ÷ operations. Other load: CPU of everything else but this client and the server, % of all cores.");
table.AppendLine();
table.AppendLine(culture, $"Where a submission's time goes ({Rounds} submissions one after another, one client; server CPU averaged over them{(options.ServerPids.Count > 0 ? string.Empty : ", not measured: no --server-pids")}):");
table.AppendLine();
table.AppendLine("| Step | Server CPU (ms) | Wall time, median (ms) |");
table.AppendLine("|---|---:|---:|");
foreach (var (name, (cpuMs, wallMs)) in steps)
{
    var count = wallMs.Count;
    var sorted = wallMs.Order().ToArray();
    table.AppendLine(culture, $"| `{name}` | {cpuMs / count:F1} | {sorted[count / 2]:F1} |");
}

Console.WriteLine(table.ToString());
if (options.Results is not null)
{
    await File.AppendAllTextAsync(options.Results, Environment.NewLine + table);
}

return 0;

internal sealed record Options(string Portal, string Password, string Provider, IReadOnlyList<int> ServerPids, int Workers, int Warmup, int Duration, string ServerCpu, string? Results, int Count, string Procedure)
{
    public static Options Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        string Get(string key, string fallback) => map.TryGetValue(key, out var v) ? v : fallback;
        int Int(string key, int fallback) => int.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(
            map.TryGetValue("portal", out var p) ? p : throw new ArgumentException("--portal <url> is required"),
            map.TryGetValue("password", out var pw) ? pw : throw new ArgumentException("--password is required"),
            Get("provider", "Sqlite"),
            [.. Get("server-pids", string.Empty).Split(' ', ',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))], Int("workers", 8), Int("warmup", 5), Int("duration", 20), Get("server-cpu", "0"),
            map.TryGetValue("results", out var r) ? r : null, Int("count", 3), Get("procedure", "1.001193"));
    }
}

internal sealed record Result(long Operations, double PerSecond, double P50, double P99, double CpuMsPerOperation, double OtherLoad);

internal static class Load
{
    /// <summary>Runs <paramref name="operation"/> in a loop on each worker; counts only those finished inside the measured window.</summary>
    public static async Task<Result> RunAsync(Options options, IReadOnlyCollection<int> serverPids, Func<HttpClient, Task> operation, Uri baseAddress)
    {
        var clients = Enumerable.Range(0, options.Workers)
            .Select(_ => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) })
            .ToList();
        var clock = Stopwatch.StartNew();
        var measureFrom = TimeSpan.FromSeconds(options.Warmup);
        var measureTo = measureFrom + TimeSpan.FromSeconds(options.Duration);
        var latencies = new List<double>[options.Workers];
        var cpuBefore = TimeSpan.Zero;
        var machineBefore = Cpu.Machine();
        var selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = false;
        var gate = new object();

        void StartMeasuring()
        {
            lock (gate)
            {
                if (started)
                {
                    return;
                }

                started = true;
                cpuBefore = Cpu.Of(serverPids);
                machineBefore = Cpu.Machine();
                selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
            }
        }

        var workers = clients.Select((client, w) => Task.Run(async () =>
        {
            var mine = latencies[w] = [];
            while (clock.Elapsed < measureTo)
            {
                if (clock.Elapsed >= measureFrom)
                {
                    StartMeasuring();
                }

                var begun = clock.Elapsed;
                await operation(client);
                var ended = clock.Elapsed;
                if (begun >= measureFrom && ended <= measureTo)
                {
                    mine.Add((ended - begun).TotalMilliseconds);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var cpuAfter = Cpu.Of(serverPids);
        var machineAfter = Cpu.Machine();
        var selfAfter = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var c in clients)
        {
            c.Dispose();
        }

        var all = latencies.SelectMany(l => l).Order().ToArray();
        if (all.Length == 0)
        {
            throw new InvalidOperationException("no operation finished inside the measured window");
        }

        var serverCpu = serverPids.Count > 0 ? (cpuAfter - cpuBefore).TotalMilliseconds : double.NaN;
        var busy = machineAfter.Busy - machineBefore.Busy;
        var total = machineAfter.Total - machineBefore.Total;
        var others = busy - serverCpu - (selfAfter - selfBefore).TotalMilliseconds;
        var otherLoad = total > 0 && serverPids.Count > 0 ? Math.Max(0, 100.0 * others / total) : double.NaN;
        return new Result(all.Length, all.Length / (double)options.Duration, Percentile(all, 0.50), Percentile(all, 0.99), serverCpu / all.Length, otherLoad);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

internal static class Cpu
{
    private static readonly double TickMs = 10.0; // USER_HZ is 100 on Linux

    /// <summary>CPU time (utime+stime+cutime+cstime) of the given processes and all their descendants (PostgreSQL's backends).</summary>
    public static TimeSpan Of(IReadOnlyCollection<int> roots)
    {
        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText($"{dir}/stat");
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture) + long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
                stats[pid] = (int.Parse(f[1], CultureInfo.InvariantCulture), ticks);
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }

        long total = 0;
        foreach (var (pid, (_, ticks)) in stats)
        {
            for (var p = pid; p > 1 && stats.ContainsKey(p); p = stats[p].Parent)
            {
                if (roots.Contains(p))
                {
                    total += ticks;
                    break;
                }
            }
        }

        return TimeSpan.FromMilliseconds(total * TickMs);
    }

    /// <summary>Busy and total CPU time of the whole machine, in ms, from /proc/stat.</summary>
    public static (double Busy, double Total) Machine()
    {
        var line = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = line[3] + line[4];
        var total = line.Sum();
        return ((total - idle) * TickMs, total * TickMs);
    }
}

internal static class Payload
{
    /// <summary>A PDF-looking file of <paramref name="size"/> bytes: the portal checks the "%PDF-" signature.</summary>
    public static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        new Random(20261202).NextBytes(bytes);
        var head = "%PDF-1.4\n"u8;
        head.CopyTo(bytes);
        "\n%%EOF\n"u8.CopyTo(bytes.AsSpan(size - 7));
        return bytes;
    }

    public static MultipartFormDataContent Form(byte[] payload, int? componentId)
    {
        var form = new MultipartFormDataContent();
        if (componentId is not null)
        {
            form.Add(new StringContent(componentId.Value.ToString(CultureInfo.InvariantCulture)), "componentId");
        }

        var file = new ByteArrayContent(payload);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "giay-to.pdf");
        return form;
    }
}

internal static class Http
{
    public static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public static void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}, expected {(int)status}: {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, string what)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {body}");
            }

            return JsonNode.Parse(body) ?? throw new InvalidOperationException($"{what} answered no JSON");
        }
    }
}

internal sealed record Plan(string ProcedureCode, string? AgencyCode, IReadOnlyList<int> Components)
{
    // Procedures with an e-form need PUT …/eform as well; the bench leaves them out (as the brief says).
    private static readonly HashSet<string> WithEForm = new(StringComparer.Ordinal) { "1.001193", "1.000656", "1.000894", "2.000635", "2.000815", "1.013225" };

    /// <summary>The first online procedure without an e-form that a whole submission goes through.</summary>
    public static async Task<Plan> FindAsync(HttpClient http, Uri portal, string bearer, byte[] payload)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var failures = new List<string>();
        for (var page = 1; page <= 10; page++)
        {
            var list = await Http.JsonAsync(await http.GetAsync(new Uri(portal, $"api/v1/procedures?page={page}")), "GET /api/v1/procedures");
            var items = list["items"]?.AsArray() ?? [];
            foreach (var item in items)
            {
                var code = item?["code"]?.GetValue<string>();
                if (code is null || WithEForm.Contains(code))
                {
                    continue;
                }

                var details = await Http.JsonAsync(await http.GetAsync(new Uri(portal, $"api/v1/procedures/{code}")), $"GET /api/v1/procedures/{code}");
                var components = (details["components"]?.AsArray() ?? []).Where(c => c?["required"]?.GetValue<bool>() == true).Select(c => c!["id"]!.GetValue<int>()).ToList();
                var agency = (details["agencies"]?.AsArray() ?? []).Select(a => a?["code"]?.GetValue<string>()).FirstOrDefault();
                var plan = new Plan(code, agency, components);
                try
                {
                    await plan.SubmitOnceAsync(http, portal, payload);
                    return plan;
                }
                catch (InvalidOperationException e)
                {
                    failures.Add($"{code}: {e.Message}");
                }
            }

            if (items.Count == 0)
            {
                break;
            }
        }

        throw new InvalidOperationException("no procedure could be submitted whole:" + Environment.NewLine + string.Join(Environment.NewLine, failures.Take(10)));
    }

    /// <summary>One whole submission in one call; returns the dossier code, or throws.</summary>
    public async Task<string> SubmitWholeAsync(HttpClient http, Uri portal, byte[] payload)
    {
        using var form = new MultipartFormDataContent
        {
            {
                Http.Json(new
                {
                    procedureCode = ProcedureCode,
                    agencyCode = AgencyCode,
                    applicant = new { fullName = "Nguyễn Văn Thử", identityNumber = "036095001234", birthDate = "1995-05-12", phone = "0912345678", address = "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh" },
                    delivery = new { method = "at_desk" },
                }), "dossier"
            },
        };
        foreach (var component in Components)
        {
            var file = new ByteArrayContent(payload);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, $"component-{component}", "giay-to.pdf");
        }

        using var submit = new HttpRequestMessage(HttpMethod.Post, new Uri(portal, "api/v1/dossiers/submit")) { Content = form };
        submit.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var sent = await Http.JsonAsync(await http.SendAsync(submit), "POST /api/v1/dossiers/submit");
        var code = sent["code"]?.GetValue<string>();
        return string.IsNullOrEmpty(code) ? throw new InvalidOperationException($"POST /api/v1/dossiers/submit answered no dossier code: {sent.ToJsonString()}") : code;
    }

    /// <summary>Called after each step with its name, when set (the sequential breakdown).</summary>
    public Action<string>? AfterStep { get; init; }

    /// <summary>One whole submission; returns the dossier code, or throws.</summary>
    public async Task<string> SubmitOnceAsync(HttpClient http, Uri portal, byte[] payload)
    {
        AfterStep?.Invoke("start");
        var draft = await Http.JsonAsync(await http.PostAsync(new Uri(portal, "api/v1/dossiers"), Http.Json(new { procedureCode = ProcedureCode, agencyCode = AgencyCode })), "POST /api/v1/dossiers");
        AfterStep?.Invoke("POST /dossiers (draft)");
        var id = draft["id"]!.GetValue<string>();
        var dossier = new Uri(portal, $"api/v1/dossiers/{id}/");
        await Http.JsonAsync(await http.PutAsync(new Uri(dossier, "applicant"), Http.Json(new
        {
            fullName = "Nguyễn Văn Thử",
            identityNumber = "036095001234",
            birthDate = "1995-05-12",
            phone = "0912345678",
            address = "12 Lê Lợi, phường Bến Thành, TP. Hồ Chí Minh",
        })), "PUT …/applicant");
        AfterStep?.Invoke("PUT …/applicant");
        foreach (var component in Components)
        {
            using var form = Payload.Form(payload, component);
            await Http.JsonAsync(await http.PostAsync(new Uri(dossier, "files"), form), "POST …/files");
            AfterStep?.Invoke("POST …/files (100 KB)");
        }

        await Http.JsonAsync(await http.PutAsync(new Uri(dossier, "delivery"), Http.Json(new { method = "at_desk" })), "PUT …/delivery");
        AfterStep?.Invoke("PUT …/delivery");
        using var submit = new HttpRequestMessage(HttpMethod.Post, new Uri(dossier, "submit"));
        submit.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var sent = await Http.JsonAsync(await http.SendAsync(submit), "POST …/submit");
        AfterStep?.Invoke("POST …/submit");
        var code = sent["code"]?.GetValue<string>();
        return string.IsNullOrEmpty(code) ? throw new InvalidOperationException($"POST …/submit answered no dossier code: {sent.ToJsonString()}") : code;
    }
}

/// <summary>Submitted dossiers for other benchmarks to find by code (the lookup): the same whole submission as the load.</summary>
internal static class Seed
{
    public static async Task<int> PrintCodesAsync(Options options, byte[] payload)
    {
        var portal = new Uri(options.Portal.TrimEnd('/') + "/");
        using var http = new HttpClient { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(60) };
        var token = await Http.JsonAsync(await http.PostAsync(new Uri(portal, "api/v1/auth/token"), Http.Json(new { userName = "demo.congdan", password = options.Password })), "POST /api/v1/auth/token");
        var plan = await Plan.FindAsync(http, portal, token["accessToken"]!.GetValue<string>(), payload);
        for (var i = 0; i < options.Count; i++)
        {
            Console.WriteLine(await plan.SubmitWholeAsync(http, portal, payload));
        }

        return 0;
    }

    public static async Task<int> PrintDraftAsync(Options options)
    {
        var portal = new Uri(options.Portal.TrimEnd('/') + "/");
        using var http = new HttpClient { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(60) };
        var token = await Http.JsonAsync(await http.PostAsync(new Uri(portal, "api/v1/auth/token"), Http.Json(new { userName = "demo.congdan", password = options.Password })), "POST /api/v1/auth/token");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["accessToken"]!.GetValue<string>());
        var details = await Http.JsonAsync(await http.GetAsync(new Uri(portal, $"api/v1/procedures/{options.Procedure}")), $"GET /api/v1/procedures/{options.Procedure}");
        var agency = (details["agencies"]?.AsArray() ?? []).Select(a => a?["code"]?.GetValue<string>()).FirstOrDefault();
        var draft = await Http.JsonAsync(await http.PostAsync(new Uri(portal, "api/v1/dossiers"), Http.Json(new { procedureCode = options.Procedure, agencyCode = agency })), "POST /api/v1/dossiers");
        Console.WriteLine(draft["id"]!.GetValue<string>());
        return 0;
    }
}

internal static class Net
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitForPortAsync(int port, Process process, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < limit && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }
}

internal static class Bare
{
    /// <summary>The reference: a minimal API that reads a multipart file and writes it under a new GUID name.</summary>
    public static async Task<int> ServeAsync(int port, string folder)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/upload", async (IFormFile file, CancellationToken cancellationToken) =>
        {
            var path = Path.Combine(folder, Guid.NewGuid().ToString("N"));
            await using (var output = File.Create(path))
            {
                await file.CopyToAsync(output, cancellationToken);
            }

            return Results.Created();
        }).DisableAntiforgery();
        await app.RunAsync();
        return 0;
    }
}
