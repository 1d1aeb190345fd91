using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Queues;

/// <summary>Counts per state, lifetime totals and the recent completion rate (<c>GET /v1/stats</c>).</summary>
/// <param name="Counts">Jobs in each state, every state present, keyed by state name.</param>
/// <param name="Processed">Attempts ever completed.</param>
/// <param name="Failed">Attempts ever failed, lease expiries included.</param>
/// <param name="Throughput">Jobs completed per second over the last minute.</param>
public sealed record StatsResponse(IReadOnlyDictionary<string, long> Counts, long Processed, long Failed, double Throughput)
{
    /// <summary>What the store wrote since the server started; absent for a store that does not count it.</summary>
    public StorageStatsView? Storage { get; init; }

    /// <summary>The memory the store's jobs take against its budget; absent for a store without one.</summary>
    public MemoryStatsView? Memory { get; init; }

    /// <summary>The server process's .NET runtime since it started: collections, pauses, allocation.</summary>
    public RuntimeStatsView? Runtime { get; init; }

    /// <summary>This node among the nodes sharing the store; a single node (the embedded store) is its own leader.</summary>
    public ClusterStatsView? Cluster { get; init; }

    /// <summary>
    /// Where the store stops counting unfinished jobs (the PostgreSQL store; docs/postgres.md, "Counts without scanning"):
    /// a scheduled, available, active or retrying count equal to it means at least that many. Absent when every count is exact.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CountCap { get; init; }
}

/// <summary>This node among the nodes sharing the store (<c>cluster</c> in <c>GET /v1/stats</c>; docs/postgres.md, "Leader").</summary>
/// <param name="Node">This node's id.</param>
/// <param name="Leader">Whether this node leads now (runs promotion, lease expiry, pruning and schedules).</param>
/// <param name="Term">The term this node leads, or else the last term it saw another node hold.</param>
public sealed record ClusterStatsView(string Node, bool Leader, long Term);

/// <summary>The store's memory as it accounts it (<c>memory</c> in <c>GET /v1/stats</c>; docs/operations.md, "Memory budget").</summary>
/// <param name="HeldBytes">What the jobs held take: args, ids and texts, failures, plus a fixed overhead a job.</param>
/// <param name="BudgetBytes">Past this enqueues answer 503 <c>storage-full</c>; absent when there is no budget.</param>
public sealed record MemoryStatsView(long HeldBytes, long? BudgetBytes);

/// <summary>The store's write counters since the server started (<c>storage</c> in <c>GET /v1/stats</c>).</summary>
/// <param name="Flushes">Group commits that wrote to the log.</param>
/// <param name="Fsyncs">fsyncs of the log by those commits.</param>
/// <param name="BytesWritten">Bytes written to the log.</param>
/// <param name="Snapshots">Snapshots written.</param>
/// <param name="SnapshotFailures">Snapshots given up on an I/O error (the log was kept).</param>
public sealed record StorageStatsView(long Flushes, long Fsyncs, long BytesWritten, long Snapshots, long SnapshotFailures);

/// <summary>The server's .NET runtime since it started (<c>runtime</c> in <c>GET /v1/stats</c>).</summary>
/// <param name="GcPauseMs">Time the garbage collector paused the process, in total.</param>
/// <param name="Gen0Collections">Generation 0 collections.</param>
/// <param name="Gen1Collections">Generation 1 collections.</param>
/// <param name="Gen2Collections">Generation 2 (full) collections.</param>
/// <param name="HeapBytes">The managed heap's size after the last collection.</param>
/// <param name="AllocatedBytes">Bytes allocated on the managed heap, in total.</param>
/// <param name="JitCompiledMethods">Methods the JIT compiled, in total (each tier of a method counts): still rising under a
/// steady load means the process is not warm yet.</param>
/// <param name="JitTimeMs">Time spent in the JIT, in total.</param>
public sealed record RuntimeStatsView(
    double GcPauseMs, long Gen0Collections, long Gen1Collections, long Gen2Collections, long HeapBytes, long AllocatedBytes,
    long JitCompiledMethods = 0, double JitTimeMs = 0);
