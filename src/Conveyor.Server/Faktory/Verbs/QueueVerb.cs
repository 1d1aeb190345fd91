using Conveyor.Core.Storage;
using Conveyor.Protocol.Faktory;
using Conveyor.Protocol.Faktory.Wire;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>QUEUE PAUSE|RESUME q1 q2 ...</c> (<c>*</c> = every queue) → <c>+OK</c>; <c>QUEUE REMOVE q1 ...</c> deletes each
/// queue that is empty and not paused → <c>+OK</c>, or <c>-ERR</c> naming the queues it left (the others are gone);
/// <c>QUEUE LATENCY q1 ...</c> → bulk JSON of queue to how many seconds its longest-waiting available job has been
/// available (<see cref="QueueInfo.OldestAvailableAt"/>; 0 for an empty or unknown queue).
/// </summary>
internal sealed class QueueVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var words = new FaktoryCommandLine("QUEUE", payload).Words();
        if (words.Count < 2)
        {
            throw new FaktoryVerbException("usage: QUEUE PAUSE|RESUME|REMOVE|LATENCY queue [queue ...]");
        }

        var broker = session.Broker;
        var names = words.Skip(1).ToList();
        if (names.Contains("*"))
        {
            names = [.. (await broker.ListQueuesAsync(cancellationToken).ConfigureAwait(false)).Select(q => q.Name)];
        }

        switch (words[0].ToUpperInvariant())
        {
            case "PAUSE":
                foreach (var name in names)
                {
                    await broker.PauseQueueAsync(name, cancellationToken).ConfigureAwait(false);
                }

                return FaktoryReply.Ok;
            case "RESUME":
                foreach (var name in names)
                {
                    await broker.ResumeQueueAsync(name, cancellationToken).ConfigureAwait(false);
                }

                return FaktoryReply.Ok;
            case "REMOVE":
                return await RemoveAsync(session, names, cancellationToken).ConfigureAwait(false);
            case "LATENCY":
                // The store keeps each queue's oldest available time, so this reads the queue list, not the jobs.
                var queues = (await broker.ListQueuesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(q => q.Name, StringComparer.Ordinal);
                var now = broker.Time.GetUtcNow();
                var latency = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var name in names)
                {
                    latency[name] = queues.GetValueOrDefault(name)?.OldestAvailableAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0;
                }

                return FaktoryReply.Bulk(FaktoryJson.Write(latency, FaktoryJsonContext.Default.DictionaryStringDouble));
            default:
                throw new FaktoryVerbException($"unknown QUEUE subcommand {words[0]}");
        }
    }

    /// <summary>
    /// Unlike Faktory, which deletes a queue's jobs with it, a queue with work in it is refused (purge it first): a
    /// removal never loses a job. An unknown queue is already gone, so it counts as removed.
    /// </summary>
    private static async ValueTask<FaktoryReply> RemoveAsync(FaktorySession session, List<string> names, CancellationToken cancellationToken)
    {
        var refused = new List<string>();
        foreach (var name in names)
        {
            switch (await session.Broker.RemoveQueueAsync(name, cancellationToken).ConfigureAwait(false))
            {
                case QueueRemoveStatus.NotEmpty:
                    refused.Add($"{name} is not empty");
                    break;
                case QueueRemoveStatus.Paused:
                    refused.Add($"{name} is paused");
                    break;
            }
        }

        return refused.Count == 0
            ? FaktoryReply.Ok
            : throw new FaktoryVerbException($"not removed: {string.Join(", ", refused)} (purge or resume it first)");
    }
}
