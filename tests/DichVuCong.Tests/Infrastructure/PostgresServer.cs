using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace DichVuCong.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for tests: either an existing one named by
/// <c>DICHVUCONG_TEST_POSTGRES</c>, or a throwaway cluster started from the locally
/// installed server binaries and removed again on dispose.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionStringVariable = "DICHVUCONG_TEST_POSTGRES";

    private const string ServiceUser = "postgres";
    private const int StartAttempts = 3;

    // Generous because CI machines can be slow, but bounded so a wedged child
    // process fails the test run instead of hanging it.
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);

    private readonly string? _pgCtl;
    private readonly string? _rootDirectory;
    private readonly List<string> _createdDatabases = [];
    private readonly Lock _gate = new();
    private int _disposed;

    private PostgresServer(string adminConnectionString, string? pgCtl, string? rootDirectory)
    {
        AdminConnectionString = adminConnectionString;
        _pgCtl = pgCtl;
        _rootDirectory = rootDirectory;
    }

    /// <summary>Why the last <see cref="StartAsync"/> returned null, for skip/fail messages.</summary>
    public static string? MissingReason { get; private set; }

    /// <summary>Superuser connection to the maintenance database (no pooling, so DROP DATABASE is never blocked by us).</summary>
    public string AdminConnectionString { get; }

    /// <summary>True when this instance started (and will tear down) its own cluster.</summary>
    public bool OwnsCluster => _rootDirectory is not null;

    /// <summary>The temporary directory holding the cluster, when this instance started one.</summary>
    public string? RootDirectory => _rootDirectory;

    /// <summary>
    /// Returns a server, or null (with <see cref="MissingReason"/> set) when none can be had on
    /// this machine; the caller decides whether that means skip or fail.
    /// </summary>
    public static async Task<PostgresServer?> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            MissingReason = null;
            return new PostgresServer(external, pgCtl: null, rootDirectory: null);
        }

        var binDirectory = FindBinDirectory();
        if (binDirectory is null)
        {
            MissingReason = "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH; "
                + $"install the 'postgresql' package or set {ConnectionStringVariable}";
            return null;
        }

        // initdb refuses to run as root, so as root everything runs as the postgres account.
        var runAsServiceUser = OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;
        if (runAsServiceUser && !ServiceUserExists())
        {
            MissingReason = $"Running as root but there is no '{ServiceUser}' OS user to run initdb/pg_ctl as; "
                + $"create it (the 'postgresql' package does) or set {ConnectionStringVariable}";
            return null;
        }

        MissingReason = null;
        var server = await StartClusterAsync(binDirectory, runAsServiceUser);
        return server;
    }

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        name ??= "dvc_" + Guid.NewGuid().ToString("N");
        // PostgreSQL silently truncates longer identifiers, which would make the returned
        // connection string point at a database that does not exist.
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > 63)
        {
            throw new ArgumentException("Database name must be 1..63 bytes.", nameof(name));
        }

        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE DATABASE " + QuoteIdentifier(name);
            await command.ExecuteNonQueryAsync();
        }

        lock (_gate)
        {
            _createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = name,
            IncludeErrorDetail = true,
        }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        string[] databases;
        lock (_gate)
        {
            databases = [.. _createdDatabases];
        }

        // Pooled connections to a database that is about to vanish are dead weight (and,
        // on a shared server, would block DROP DATABASE).
        foreach (var database in databases)
        {
            var connectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, IncludeErrorDetail = true }.ConnectionString;
            await using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }

        if (_rootDirectory is null || _pgCtl is null)
        {
            await DropDatabasesAsync(databases);
            return;
        }

        var runAsServiceUser = OperatingSystem.IsLinux() && Environment.IsPrivilegedProcess;
        var stop = await StopClusterAsync(_pgCtl, _rootDirectory, runAsServiceUser);
        var deleted = await TryDeleteDirectoryAsync(_rootDirectory);

        if (stop.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"pg_ctl stop failed (exit {stop.ExitCode.ToString(CultureInfo.InvariantCulture)}):{Environment.NewLine}{stop.Output}");
        }

        if (!deleted)
        {
            throw new InvalidOperationException($"Could not delete the temporary PostgreSQL directory '{_rootDirectory}'.");
        }
    }

    private static async Task<PostgresServer> StartClusterAsync(string binDirectory, bool runAsServiceUser)
    {
        var initdb = Path.Combine(binDirectory, ExecutableName("initdb"));
        var pgCtl = Path.Combine(binDirectory, ExecutableName("pg_ctl"));

        // Root's TMPDIR may not be reachable by the postgres account; /tmp always is. The
        // directory name also stays short because it hosts the Unix socket (path limit ~107 bytes).
        var tempBase = runAsServiceUser ? "/tmp" : Path.GetTempPath();
        var root = Path.Combine(tempBase, "dichvucong-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);

        try
        {
            if (runAsServiceUser)
            {
                var chown = await RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", root], root, runAsServiceUser: false);
                ThrowIfFailed(chown, "chown", root);
            }

            await InitDbAsync(initdb, root, runAsServiceUser);
            var port = await StartServerAsync(pgCtl, root, runAsServiceUser);

            var admin = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = ServiceUser,
                Database = "postgres",
                Pooling = false,
                Timeout = 30,
            }.ConnectionString;
            return new PostgresServer(admin, pgCtl, root);
        }
        catch
        {
            // Leave nothing behind: a half-started postmaster would otherwise outlive the test run.
            await StopClusterAsync(pgCtl, root, runAsServiceUser);
            await TryDeleteDirectoryAsync(root);
            throw;
        }
    }

    private static async Task InitDbAsync(string initdb, string root, bool runAsServiceUser)
    {
        ProcessResult? result = null;
        // C.UTF-8 gives UTF-8 collation-free behaviour everywhere it exists; plain C is the
        // fallback for systems (older glibc, macOS) that lack it.
        foreach (var locale in new[] { "C.UTF-8", "C" })
        {
            await TryDeleteDirectoryAsync(DataDirectory(root));
            result = await RunAsync(
                initdb,
                ["-D", DataDirectory(root), "-U", ServiceUser, "-A", "trust", "-E", "UTF8", $"--locale={locale}", "--no-sync"],
                root,
                runAsServiceUser);
            if (result.ExitCode == 0)
            {
                return;
            }
        }

        ThrowIfFailed(result!, "initdb", root);
    }

    private static async Task<int> StartServerAsync(string pgCtl, string root, bool runAsServiceUser)
    {
        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            // Another process can grab the port between probing and binding, hence the retries.
            var port = GetFreePort();
            var serverOptions = string.Join(
                ' ',
                "-p", port.ToString(CultureInfo.InvariantCulture),
                "-k", $"'{root}'",
                "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
                "-c", "max_connections=200");

            var result = await RunAsync(
                pgCtl,
                ["-D", DataDirectory(root), "-o", serverOptions, "-l", LogFile(root), "-w", "-t", "60", "start"],
                root,
                runAsServiceUser);
            if (result.ExitCode == 0)
            {
                return port;
            }

            failures.Append(CultureInfo.InvariantCulture, $"--- attempt {attempt} (port {port}), exit {result.ExitCode}:")
                .AppendLine()
                .AppendLine(result.Output);

            // A timed-out start can leave a postmaster running that would hold the data directory lock.
            await StopClusterAsync(pgCtl, root, runAsServiceUser);
        }

        throw new InvalidOperationException(
            $"pg_ctl start failed {StartAttempts} times.{Environment.NewLine}{failures}--- server log tail:{Environment.NewLine}{ReadLogTail(root)}");
    }

    private async Task DropDatabasesAsync(string[] databases)
    {
        if (databases.Length == 0)
        {
            return;
        }

        // Only reached for a shared server: don't let test databases pile up there.
        // Best effort, since a failed cleanup must not fail an otherwise green run.
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            foreach (var database in databases)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"DROP DATABASE IF EXISTS {QuoteIdentifier(database)} WITH (FORCE)";
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
        }
    }

    private static string? FindBinDirectory()
    {
        var candidates = new List<string>();

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            candidates.AddRange(
                Directory.GetDirectories(debianRoot)
                    .OrderByDescending(d => ParseVersion(Path.GetFileName(d)))
                    .Select(d => Path.Combine(d, "bin")));
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        candidates.AddRange(path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        return candidates.FirstOrDefault(dir =>
            IsUsableFile(Path.Combine(dir, ExecutableName("initdb")))
            && IsUsableFile(Path.Combine(dir, ExecutableName("pg_ctl"))));
    }

    // File.Exists is true for a dangling symlink, and /usr/local/bin/initdb -> /usr/lib/postgresql/...
    // links outlive an uninstalled server package.
    private static bool IsUsableFile(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return false;
            }

            return file.LinkTarget is null || file.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true };
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Directory names are "15", "16", or "9.6" on old installs; compare numerically so 16 beats 9.6.
    private static Version ParseVersion(string? name)
    {
        var parts = (name ?? string.Empty).Split('.');
        var major = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : -1;
        var minor = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return major < 0 ? new Version(0, 0) : new Version(major, minor);
    }

    private static bool ServiceUserExists()
    {
        try
        {
            return File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServiceUser + ":", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            // Without a readable passwd file (e.g. NSS/LDAP-only users) let runuser be the judge.
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, bool runAsServiceUser)
    {
        var startInfo = new ProcessStartInfo
        {
            // runuser lives in /usr/sbin, which is not on every PATH.
            FileName = runAsServiceUser ? (File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser") : fileName,
            // The postgres account may not be able to enter the caller's working directory.
            WorkingDirectory = Directory.Exists(workingDirectory) ? workingDirectory : Path.GetTempPath(),
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (runAsServiceUser)
        {
            startInfo.ArgumentList.Add("-u");
            startInfo.ArgumentList.Add(ServiceUser);
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Server messages are parsed by nobody but read by humans; keep them in English.
        startInfo.Environment["LC_MESSAGES"] = "C";

        using var process = new Process { StartInfo = startInfo };
        process.Start();
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(ProcessTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            string[] streams = [(await stdout).Trim(), (await stderr).Trim()];
            return new ProcessResult(process.ExitCode, string.Join(Environment.NewLine, streams.Where(s => s.Length > 0)));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            var commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(startInfo.FileName));
            return new ProcessResult(-1, $"Timed out after {ProcessTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s: {commandLine}");
        }
    }

    private static void ThrowIfFailed(ProcessResult result, string what, string root)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{what} failed (exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}):{Environment.NewLine}{result.Output}"
                + $"{Environment.NewLine}--- server log tail:{Environment.NewLine}{ReadLogTail(root)}");
        }
    }

    private static string ReadLogTail(string root)
    {
        try
        {
            var log = LogFile(root);
            if (!File.Exists(log))
            {
                return "(no log file)";
            }

            var text = File.ReadAllText(log);
            return text.Length <= 4000 ? text : text[^4000..];
        }
        catch (IOException ex)
        {
            return "(log unreadable: " + ex.Message + ")";
        }
        catch (UnauthorizedAccessException ex)
        {
            return "(log unreadable: " + ex.Message + ")";
        }
    }

    private static async Task<ProcessResult> StopClusterAsync(string pgCtl, string root, bool runAsServiceUser)
    {
        var pidFile = Path.Combine(DataDirectory(root), "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return new ProcessResult(0, "not running");
        }

        var result = await RunAsync(pgCtl, ["-D", DataDirectory(root), "stop", "-m", "immediate", "-w", "-t", "30"], root, runAsServiceUser);
        if (result.ExitCode == 0)
        {
            return result;
        }

        // pg_ctl could not stop it; kill the postmaster directly rather than leak it, since its
        // data directory is about to be deleted anyway.
        try
        {
            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            if (int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                using var postmaster = Process.GetProcessById(pid);
                // A stale pid file may name a recycled pid; never kill anything but a postgres.
                if (string.Equals(postmaster.ProcessName, "postgres", StringComparison.Ordinal))
                {
                    postmaster.Kill(entireProcessTree: true);
                    // Bounded: the postmaster is not our child, and a zombie that nobody reaps would never "exit".
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await postmaster.WaitForExitAsync(wait.Token);
                    return new ProcessResult(0, result.Output);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException
            or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            return new ProcessResult(result.ExitCode, result.Output + Environment.NewLine + "kill fallback failed: " + ex.Message);
        }

        return result;
    }

    private static async Task<bool> TryDeleteDirectoryAsync(string directory)
    {
        // A just-stopped postmaster can still be releasing files for a moment.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return true;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            await Task.Delay(100 * (attempt + 1));
        }

        return !Directory.Exists(directory);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string DataDirectory(string root) => Path.Combine(root, "data");

    private static string LogFile(string root) => Path.Combine(root, "log.txt");

    private static string ExecutableName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    private sealed record ProcessResult(int ExitCode, string Output);
}
