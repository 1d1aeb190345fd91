using Conveyor.Storage.Embedded;

namespace Conveyor.Cli.Bench;

/// <summary>Everything a bench run was asked for; each mode reads the part it needs.</summary>
internal sealed record BenchSettings
{
    public required BenchMode Mode { get; init; }

    /// <summary>A running server; null starts a child <c>conveyor serve</c> on a fresh data directory.</summary>
    public Uri? Server { get; init; }

    /// <summary>The external server's process id, for RSS and CPU; null shows them as n/a.</summary>
    public int? ServerPid { get; init; }

    public DurabilityMode Durability { get; init; } = DurabilityMode.Sync;

    /// <summary>Where the child server's data directory and the fsync probe's file go.</summary>
    public string DataRoot { get; init; } = Path.GetTempPath();

    public bool KeepData { get; init; }

    /// <summary>The child server's <c>Logging:LogLevel:Default</c>.</summary>
    public string ServerLogLevel { get; init; } = "Warning";

    public int Jobs { get; init; } = 20_000;

    /// <summary>Upper bound of every phase, in seconds; a phase that runs out stops and says so.</summary>
    public int DurationSeconds { get; init; } = 60;

    public int Producers { get; init; } = 2;

    public int Workers { get; init; } = 4;

    /// <summary>In-flight single enqueues of the concurrent variant.</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>Jobs per enqueue request, and the fetch <c>max</c> of workers.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>End-to-end: jobs per enqueue request when the drain's fetch size differs (null: <see cref="BatchSize"/>).</summary>
    public int? EnqueueBatchSize { get; init; }

    /// <summary>Approximate size of each job's <c>args</c> in bytes (0: <c>[]</c>).</summary>
    public int PayloadBytes { get; init; }

    /// <summary>The fetch long-poll of workers.</summary>
    public int FetchWaitMs { get; init; } = 100;

    public EnqueueVariant Variant { get; init; } = EnqueueVariant.All;

    /// <summary>End-to-end: how workers fetch and settle.</summary>
    public DrainProtocol Drain { get; init; } = DrainProtocol.Http;

    /// <summary>The Faktory port of a running server (<see cref="Server"/>); a child server gets a free one.</summary>
    public int FaktoryPort { get; init; } = 7419;

    /// <summary>The gRPC port of a running server (<see cref="Server"/>); a child server gets a free one.</summary>
    public int GrpcPort { get; init; } = 7421;

    /// <summary>gRPC drain: the credits each worker's Work stream keeps granted (jobs in hand at most).</summary>
    public int Credits { get; init; } = 32;

    /// <summary>End-to-end: producers and workers at once rather than enqueue-then-drain.</summary>
    public bool Mixed { get; init; }

    /// <summary>Latency mode's offered enqueue rate, jobs per second.</summary>
    public int Rate { get; init; } = 200;

    /// <summary>Latency mode: seconds offered at the same rate before measuring (the JIT's first seconds), 0 for none.</summary>
    public int WarmupSeconds { get; init; } = 5;

    /// <summary>Enqueue and end-to-end: jobs enqueued (and drained, end to end) on a queue of their own before measuring (the JIT's first seconds of both processes), 0 for none.</summary>
    public int WarmupJobs { get; init; } = 300_000;

    /// <summary>Seconds of each probe (fsync, loopback and HTTP round trips; paced at <see cref="Rate"/> in latency mode); 0 skips them.</summary>
    public double FsyncProbeSeconds { get; init; } = 2;

    public string? JsonFile { get; init; }

    /// <summary>The command line as typed, for the report.</summary>
    public string CommandLine { get; init; } = "";

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);
}
