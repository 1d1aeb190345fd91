using Conveyor.Core.Jobs;
using Conveyor.Protocol.Faktory.Wire;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary><c>INFO</c> → bulk JSON with Faktory's shape: totals, queue sizes, the Scheduled/Retries/Dead set sizes, server facts.</summary>
internal sealed class InfoVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var stats = await session.Broker.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var queues = await session.Broker.ListQueuesAsync(cancellationToken).ConfigureAwait(false);
        var counts = stats.Store.Counts;
        var info = new FaktoryInfo
        {
            Faktory = new FaktoryInfoStats
            {
                TotalFailures = stats.Store.Failed,
                TotalProcessed = stats.Store.Processed,
                TotalEnqueued = queues.Sum(q => (long)q.Available),
                TotalQueues = queues.Count,
                Queues = queues.ToDictionary(q => q.Name, q => (long)q.Available, StringComparer.Ordinal),
                Tasks = new Dictionary<string, FaktoryTaskSize>(StringComparer.Ordinal)
                {
                    ["Scheduled"] = new() { Size = counts[JobState.Scheduled] },
                    ["Retries"] = new() { Size = counts[JobState.Retrying] },
                    ["Dead"] = new() { Size = counts[JobState.Dead] },
                },
            },
            Server = new FaktoryInfoServer
            {
                Uptime = (long)session.Server.Uptime.TotalSeconds,
                Connections = session.Server.Connections,
                CommandCount = session.Server.Commands,
                UsedMemoryMb = Environment.WorkingSet >> 20,
            },
        };
        return FaktoryReply.Bulk(FaktoryJson.Write(info, FaktoryJson.Context.FaktoryInfo));
    }
}
