using System.Globalization;
using Conveyor.Core.Jobs;
using Conveyor.Protocol.Faktory.Wire;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>INFO</c> → bulk JSON in Faktory 1.9's shape, key for key: the time, totals, queue sizes, the scheduled,
/// retry, dead and working sets, the background tasks (Conveyor's maintenance pass standing in for Faktory's
/// scanners and reapers) and server facts.
/// </summary>
internal sealed class InfoVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var broker = session.Broker;
        var stats = await broker.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var queues = await broker.ListQueuesAsync(cancellationToken).ConfigureAwait(false);
        var counts = stats.Store.Counts;
        var maintenance = broker.Maintenance;
        var wallTime = maintenance.WallTime.TotalSeconds;
        var now = DateTime.UtcNow;
        var info = new FaktoryInfo
        {
            Now = now.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            ServerUtcTime = now.ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
            Faktory = new FaktoryInfoStats
            {
                TotalFailures = stats.Store.Failed,
                TotalProcessed = stats.Store.Processed,
                TotalEnqueued = queues.Sum(q => (long)q.Available),
                TotalQueues = queues.Count,
                Queues = queues.ToDictionary(q => q.Name, q => (long)q.Available, StringComparer.Ordinal),
                Sets = new Dictionary<string, long>(StringComparer.Ordinal)
                {
                    ["scheduled"] = counts[JobState.Scheduled],
                    ["retries"] = counts[JobState.Retrying],
                    ["dead"] = counts[JobState.Dead],
                    ["working"] = counts[JobState.Active],
                },
                Tasks = new Dictionary<string, FaktoryTaskStats>(StringComparer.Ordinal)
                {
                    // One pass promotes scheduled and retrying jobs alike, so Scheduled counts both and Retries none.
                    ["Scheduled"] = new() { Enqueued = maintenance.Promoted, Cycles = maintenance.Cycles, Size = counts[JobState.Scheduled], WallTimeSec = wallTime },
                    ["Retries"] = new() { Enqueued = 0, Cycles = maintenance.Cycles, Size = counts[JobState.Retrying], WallTimeSec = wallTime },
                    ["Dead"] = new() { Enqueued = maintenance.Pruned, Cycles = maintenance.Cycles, Size = counts[JobState.Dead], WallTimeSec = wallTime },
                    ["Busy"] = new() { Size = counts[JobState.Active], Reaped = maintenance.LeasesExpired },
                    ["Workers"] = new() { Size = session.Workers.List().Count, Reaped = session.Workers.Reaped },
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
