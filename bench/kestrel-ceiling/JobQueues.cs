using System.Collections.Concurrent;
using System.Threading.Channels;
using Conveyor.Contracts.Jobs;

namespace Conveyor.KestrelCeiling;

/// <summary>
/// Named in-memory FIFO queues and the leases of fetched jobs; nothing is written anywhere. A settle applies when its
/// token is the job's current lease token, as on the real server.
/// </summary>
internal sealed class JobQueues
{
    private readonly ConcurrentDictionary<string, Channel<QueuedJob>> queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> leases = new(StringComparer.Ordinal);
    private long nextId;
    private long processed;

    public long Processed => Interlocked.Read(ref processed);

    public string Enqueue(EnqueueRequest request, DateTimeOffset now)
    {
        var queue = request.Queue ?? "default";
        var job = new QueuedJob(NewId("j"), queue, request.Type ?? "job", request.Args, now);
        _ = Get(queue).Writer.TryWrite(job);
        return job.Id;
    }

    /// <summary>Up to <paramref name="max"/> jobs from the first of <paramref name="names"/> that has any, each leased under a new token; waits up to <paramref name="wait"/> for one when all are empty.</summary>
    public async Task<List<(QueuedJob Job, string Token)>> FetchAsync(IReadOnlyList<string> names, int max, TimeSpan wait, CancellationToken cancellationToken)
    {
        var taken = Take(names, max);
        if (taken.Count > 0 || wait <= TimeSpan.Zero)
        {
            return taken;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            while (taken.Count == 0)
            {
                // One queue is enough to wait on for the bench (it fetches from one); others are polled when it wakes.
                _ = await Get(names[0]).Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
                taken = Take(names, max);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The long poll ran out: an empty answer.
        }

        return taken;
    }

    /// <summary>"ok" when <paramref name="token"/> holds the job's lease (which ends), else "stale".</summary>
    public string Ack(string? id, string? token)
    {
        if (id is not null && token is not null && leases.TryRemove(new KeyValuePair<string, string>(id, token)))
        {
            Interlocked.Increment(ref processed);
            return "ok";
        }

        return "stale";
    }

    private List<(QueuedJob Job, string Token)> Take(IReadOnlyList<string> names, int max)
    {
        var taken = new List<(QueuedJob, string)>(Math.Min(max, 64));
        foreach (var name in names)
        {
            var reader = Get(name).Reader;
            while (taken.Count < max && reader.TryRead(out var job))
            {
                var token = NewId("l");
                leases[job.Id] = token;
                taken.Add((job, token));
            }

            if (taken.Count > 0)
            {
                break;
            }
        }

        return taken;
    }

    private Channel<QueuedJob> Get(string name) =>
        queues.GetOrAdd(name, static _ => Channel.CreateUnbounded<QueuedJob>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false }));

    // 26 characters, the length of the real server's ULID ids and tokens.
    private string NewId(string prefix) => prefix + Interlocked.Increment(ref nextId).ToString("D25", System.Globalization.CultureInfo.InvariantCulture);
}
