namespace Conveyor.Cli.Bench;

/// <summary>Worker loops that drain one queue until a target of completed jobs, whatever protocol they speak.</summary>
internal interface IBenchWorkers
{
    /// <summary>Enqueue call → handler start, for stamped jobs.</summary>
    LatencySamples StartLatency { get; }

    /// <summary>Enqueue call → settle acknowledged, for stamped jobs.</summary>
    LatencySamples DoneLatency { get; }

    /// <summary>One worker's cycle, as each protocol defines it (named by <see cref="CycleName"/>).</summary>
    LatencySamples CycleLatency { get; }

    /// <summary>What <see cref="CycleLatency"/> times, for the report.</summary>
    string CycleName { get; }

    /// <summary>Acks the server did not apply (stale or unknown): should stay 0.</summary>
    long Stale { get; }

    /// <summary>Runs <paramref name="workers"/> loops until <paramref name="target"/> jobs are completed or the token fires; the jobs completed.</summary>
    Task<long> RunAsync(int workers, long target, ProgressCounter progress, CancellationToken cancellationToken);
}
