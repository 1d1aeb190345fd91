namespace Conveyor.Client;

/// <summary>How the worker host fetches, runs, heartbeats and stops. Configure it in <c>services.AddConveyorWorker(o => ...)</c>.</summary>
public sealed class ConveyorWorkerOptions
{
    /// <summary>The concurrency of the <c>default</c> queue when no queue is added (default 10).</summary>
    public const int DefaultConcurrency = 10;

    /// <summary>Who fetches, recorded on each lease (default: machine name, process id and a random suffix).</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>The queues to work and how many handlers may run at once in each; <c>default</c> × 10 when empty.</summary>
    public IDictionary<string, int> Queues { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>How long a fetch waits on the server for jobs when none is available (long-poll; default 2 s, at most 30 s).</summary>
    public TimeSpan FetchWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most jobs one fetch leases (default 100, at most 1000); a fetch never asks for more than the queue's free slots.</summary>
    public int MaxFetchBatch { get; set; } = 100;

    /// <summary>Whether running jobs' leases are extended automatically (default true).</summary>
    public bool HeartbeatsEnabled { get; set; } = true;

    /// <summary>How often a running job is heartbeaten (default: a third of its lease, at least 100 ms).</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>
    /// How often, while jobs run, the worker asks the server in one call which of their leases are no longer held (the job
    /// was cancelled, or its lease lost), and cancels those handlers' tokens (default 1 s; <see cref="TimeSpan.Zero"/>: never,
    /// leaving it to refused heartbeats).
    /// </summary>
    public TimeSpan CancellationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long shutdown waits for running handlers before cancelling them and failing their jobs with <c>Shutdown</c> (default 25 s).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// HTTP or the gRPC Work stream (default <see cref="ConveyorWorkerTransport.Auto"/>: gRPC when the server answers on
    /// <see cref="GrpcAddress"/> when the worker starts, else HTTP).
    /// </summary>
    public ConveyorWorkerTransport Transport { get; set; } = ConveyorWorkerTransport.Auto;

    /// <summary>
    /// The server's gRPC address. Default: for an <c>https</c> server URL the URL itself (the server then serves gRPC on its
    /// HTTP port); for an <c>http</c> URL on the default port 7420 the same host on 7421 (the default <c>--grpc-port</c>).
    /// For an <c>http</c> URL on another port there is no safe guess (7421 there may be another server): Auto then uses
    /// HTTP, and <see cref="ConveyorWorkerTransport.Grpc"/> tries the host on 7421.
    /// </summary>
    public Uri? GrpcAddress { get; set; }

    /// <summary>Works <paramref name="queue"/> with up to <paramref name="concurrency"/> handlers at once.</summary>
    /// <returns>These options, for chaining.</returns>
    public ConveyorWorkerOptions AddQueue(string queue, int concurrency = DefaultConcurrency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        Queues[queue] = concurrency;
        return this;
    }

    internal IReadOnlyDictionary<string, int> EffectiveQueues() =>
        Queues.Count == 0 ? new Dictionary<string, int> { ["default"] = DefaultConcurrency } : new Dictionary<string, int>(Queues);

    /// <summary>The server's default HTTP port.</summary>
    internal const int DefaultHttpPort = 7420;

    /// <summary>The server's default gRPC port.</summary>
    internal const int DefaultGrpcPort = 7421;

    /// <summary>Where to open the Work stream; null when Auto has no address it can trust to be this server's.</summary>
    internal Uri? EffectiveGrpcAddress(Uri serverUrl) =>
        GrpcAddress
        ?? (serverUrl.Scheme == Uri.UriSchemeHttps ? serverUrl
            : serverUrl.Port == DefaultHttpPort || Transport == ConveyorWorkerTransport.Grpc ? new UriBuilder(serverUrl) { Port = DefaultGrpcPort, Path = "/" }.Uri
            : null);
}
