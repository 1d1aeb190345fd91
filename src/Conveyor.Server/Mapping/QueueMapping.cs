using Conveyor.Broker;
using Conveyor.Contracts.Queues;
using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Server.Mapping;

/// <summary>Queue and stats views, and checks of queue names that arrive in the path.</summary>
internal static class QueueMapping
{
    /// <summary>A store only this node uses (the embedded one): it is the only node, the leader of term 1.</summary>
    private static readonly ClusterStatsView SingleNode = new(Environment.MachineName, Leader: true, Term: 1);

    public static IReadOnlyList<QueueView> ToViews(IReadOnlyList<QueueInfo> queues) =>
        [.. queues.Select(q => new QueueView(q.Name, q.Available, q.Scheduled, q.Retrying, q.Active, q.Paused) { OldestAvailableAt = q.OldestAvailableAt, CountCap = q.CountCap })];

    public static StatsResponse ToResponse(BrokerStats stats)
    {
        var counts = new Dictionary<string, long>(JobStateNames.All.Count);
        foreach (var state in JobStateNames.All)
        {
            counts[state.ToName()] = stats.Store.Counts.TryGetValue(state, out var n) ? n : 0;
        }

        return new StatsResponse(counts, stats.Store.Processed, stats.Store.Failed, stats.Throughput)
        {
            Storage = stats.Store.Storage is { } w ? new StorageStatsView(w.Flushes, w.Fsyncs, w.BytesWritten, w.Snapshots, w.SnapshotFailures) : null,
            Memory = stats.Store.Memory is { } m ? new MemoryStatsView(m.HeldBytes, m.BudgetBytes == long.MaxValue ? null : m.BudgetBytes) : null,
            Cluster = stats.Store.Cluster is { } c ? new ClusterStatsView(c.Node, c.Leader, c.Term) : SingleNode,
            CountCap = stats.Store.CountCap,
            Runtime = new RuntimeStatsView(
                GC.GetTotalPauseDuration().TotalMilliseconds, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
                GC.GetGCMemoryInfo().HeapSizeBytes, GC.GetTotalAllocatedBytes(),
                System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds),
        };
    }

    public static QueueListResponse ToResponse(QueuePage page) => new(ToViews(page.Queues), page.Next);

    /// <summary>A name that arrives in the path or query (<paramref name="field"/>), held to the rules of queue names.</summary>
    public static string RequireQueueName(string name, string field = "queue") =>
        NameRules.Check(name, InputLimits.QueueLength) is { } error
            ? throw new RequestRejectedException(field, error.Message, tooLarge: error.TooLarge)
            : name;
}
