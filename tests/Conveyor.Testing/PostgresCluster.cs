using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Conveyor.Testing;

/// <summary>
/// A throw-away PostgreSQL cluster for one test run: initdb into a temp directory, started on a free 127.0.0.1 port with
/// fsync off, stopped and deleted when the run ends (a test assembly's fixture calls <see cref="StopSharedAsync"/>). As root (CI) the server runs
/// as the postgres user through runuser, since PostgreSQL refuses to run as root. A machine without PostgreSQL fails
/// the tests that need it, naming the package to install; nothing skips.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private static readonly Lock Gate = new();
    private static Task<PostgresCluster>? shared;

    private readonly string bin;
    private readonly string directory;
    private readonly string serverOptions;

    private PostgresCluster(string bin, string directory, int port)
    {
        serverOptions = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        this.bin = bin;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A connection string to the cluster's postgres database (trust authentication).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Maximum Pool Size=20;Timeout=30";

    public string DataDirectory => Path.Combine(directory, "data");

    /// <summary>The run's cluster, started on first use.</summary>
    public static Task<PostgresCluster> SharedAsync()
    {
        lock (Gate)
        {
            return shared ??= Task.Run(StartAsync);
        }
    }

    /// <summary>Stops the run's cluster if one was started.</summary>
    public static async Task StopSharedAsync()
    {
        Task<PostgresCluster>? started;
        lock (Gate)
        {
            started = shared;
            shared = null;
        }

        if (started is { IsCompletedSuccessfully: true })
        {
            await (await started).DisposeAsync();
        }
    }

    /// <summary>Starts a new cluster (tests that restart or stop one take their own).</summary>
    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBinaries();
        var directory = Directory.CreateTempSubdirectory("conveyor-pg-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres", directory]);
        }

        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
        var port = FreePort();
        var cluster = new PostgresCluster(bin, directory, port);
        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>Creates a database of its own (for a process that uses the default schema) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "d_" + Guid.NewGuid().ToString("N")[..20];
        await RunAsync(Path.Combine(bin, "psql"), ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-c", $"CREATE DATABASE {name}"]);
        return ConnectionString.Replace("Database=postgres", "Database=" + name, StringComparison.Ordinal);
    }

    /// <summary>Starts the server (again, after <see cref="StopServerAsync"/>).</summary>
    public Task StartServerAsync() => PgCtlAsync("start", "-w", "-t", "60", "-l", Path.Combine(directory, "log"), "-o", serverOptions);

    /// <summary>Stops the server (fast shutdown), keeping its data.</summary>
    public Task StopServerAsync() => PgCtlAsync("stop", "-m", "fast", "-w");

    /// <summary>Restarts the server (fast shutdown: open connections are cut).</summary>
    public Task RestartAsync() => PgCtlAsync("restart", "-m", "fast", "-w", "-t", "60", "-l", Path.Combine(directory, "log"));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgCtlAsync("stop", "-m", "immediate", "-w");
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private Task PgCtlAsync(params string[] args) =>
        RunAsPostgresAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDirectory, .. args]);

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): the PostgreSQL store tests need it. " +
            "Install it with `apt-get install -y postgresql` (./test.sh does this).");
    }

    private static Task RunAsPostgresAsync(string program, string[] args) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. args]) : RunAsync(program, args);

    private static async Task RunAsync(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
