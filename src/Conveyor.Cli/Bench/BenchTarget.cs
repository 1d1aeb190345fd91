using System.Diagnostics;
using Conveyor.Contracts.Queues;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The server under load: a running one (<c>--server</c>, sampled through <c>--server-pid</c> if given) or a
/// child this run starts on a fresh data directory, kills at the end, and can restart to time recovery.
/// </summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    private readonly BenchSettings settings;
    private readonly string? dataDirectory;
    private ChildServer? child;
    private readonly int port;

    private BenchTarget(BenchSettings settings, Uri address, int faktoryPort, int grpcPort, string? dataDirectory, ChildServer? child)
    {
        FaktoryPort = faktoryPort;
        GrpcAddress = new UriBuilder(Uri.UriSchemeHttp, address.Host, grpcPort).Uri;
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.child = child;
        Address = address;
        port = address.Port;
        Http = new BenchHttp(address);
    }

    public Uri Address { get; }

    public BenchHttp Http { get; }

    /// <summary>The server's Faktory port (on <see cref="Address"/>'s host).</summary>
    public int FaktoryPort { get; }

    /// <summary>The server's gRPC port (h2c, on <see cref="Address"/>'s host).</summary>
    public Uri GrpcAddress { get; }

    public bool IsChild => child is not null;

    public string Description => child is null
        ? $"{Address} (running server{(settings.ServerPid is { } pid ? $", pid {pid}" : ", no --server-pid: RSS/CPU n/a")})"
        : $"{Address} (started by bench: durability {settings.Durability.ToString().ToLowerInvariant()}, data {dataDirectory}, log level {settings.ServerLogLevel})";

    public int? Pid => child?.Pid ?? settings.ServerPid;

    public static async Task<BenchTarget> StartAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Server is { } server)
        {
            var external = new BenchTarget(settings, server, settings.FaktoryPort, settings.GrpcPort, null, null);
            await external.WaitReadyAsync(cancellationToken).ConfigureAwait(false);
            return external;
        }

        var data = Path.Combine(settings.DataRoot, "conveyor-bench-" + Guid.NewGuid().ToString("N")[..12]);
        var faktoryPort = FreePort();
        var grpcPort = FreePort();
        var child = await ChildServer.StartAsync(data, settings.Durability, 0, faktoryPort, grpcPort, settings.ServerLogLevel, cancellationToken).ConfigureAwait(false);
        var target = new BenchTarget(settings, await child.Address.ConfigureAwait(false), faktoryPort, grpcPort, data, child);
        await target.WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        return target;
    }

    public ProcessSample? Sample() => Pid is { } pid ? ProcessSampler.Sample(pid) : null;

    /// <summary>The server's <c>GET /v1/stats</c>, or null when it does not answer within 5 s (the figures it feeds are then n/a).</summary>
    public async Task<StatsResponse?> TryStatsAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await Http.StatsAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or BenchException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Kills the child (SIGKILL) and starts it again on the same data directory; the time until <c>/readyz</c>, and the store's own recovery time.</summary>
    public async Task<(TimeSpan ToReady, double? StoreRecoveryMs)> RestartAsync(CancellationToken cancellationToken)
    {
        var old = child ?? throw new BenchException("a restart needs a server this run started (no --server)");
        await old.DisposeAsync().ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        child = await ChildServer.StartAsync(dataDirectory!, settings.Durability, port, FaktoryPort, GrpcAddress.Port, settings.ServerLogLevel, cancellationToken).ConfigureAwait(false);
        await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        return (Stopwatch.GetElapsedTime(started), child.RecoveryMs);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (child is not null)
        {
            await child.DisposeAsync().ConfigureAwait(false);
            if (!settings.KeepData && dataDirectory is not null && Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    /// <summary>A port nothing listens on now (the OS's pick for port 0), for the child's Faktory and gRPC listeners.</summary>
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while (!await Http.IsReadyAsync(cancellationToken).ConfigureAwait(false))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new BenchException($"{Address} did not become ready within 120 s{(child is null ? "" : ": " + child.Tail())}");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }
}
