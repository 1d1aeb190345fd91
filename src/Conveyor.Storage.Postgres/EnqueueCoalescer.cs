using System.Collections.Concurrent;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Writes small enqueues that arrive together in one transaction: each commit waits for a WAL flush, so one commit for
/// many concurrent single-job requests is what lets them scale past the database's commit rate. Only requests whose jobs
/// name no id and no unique key are merged: such jobs cannot conflict with each other or with anything stored, so each
/// request's answer is the same as if it had been written alone. At most <see cref="Writers"/> transactions are under
/// way at once; a request that finds a writer free is written at once (no added wait when the load is light), and
/// requests arriving meanwhile go together in the next one.
/// </summary>
internal sealed class EnqueueCoalescer(StoreContext context)
{
    /// <summary>Requests with more jobs than this are written on their own: they are batches already.</summary>
    public const int SmallRequest = 16;

    /// <summary>Most jobs written in one merged transaction.</summary>
    public const int MaxJobs = 1000;

    /// <summary>Merged transactions under way at once (pooled connections they hold).</summary>
    public const int Writers = 4;

    private readonly ConcurrentQueue<Pending> queue = new();
    private readonly SemaphoreSlim writers = new(Writers, Writers);

    /// <summary>Whether <paramref name="request"/> may be written together with others.</summary>
    public static bool CanMerge(JobEnqueue request) =>
        request.Jobs.Count is > 0 and <= SmallRequest && request.Jobs.All(j => j.Id is null && j.UniqueKey is null);

    public async Task<EnqueueResult> RunAsync(JobEnqueue request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(request);
        queue.Enqueue(pending);

        // Not cancellable once queued: another writer may already be writing this request with its own.
        await writers.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            // Whoever holds a writer drains the queue until its own request is answered, so none is left behind; an empty
            // queue with its request unanswered means another writer has it under way.
            while (!pending.Done.Task.IsCompleted && await WriteNextAsync().ConfigureAwait(false))
            {
            }
        }
        finally
        {
            writers.Release();
        }

        return await pending.Done.Task.ConfigureAwait(false);
    }

    /// <summary>Writes the requests queued now (up to <see cref="MaxJobs"/> jobs) in one transaction; false when none was queued.</summary>
    private async Task<bool> WriteNextAsync()
    {
        var taken = new List<Pending>();
        var jobs = new List<JobSpec>();
        while (jobs.Count < MaxJobs && queue.TryDequeue(out var next))
        {
            taken.Add(next);
            jobs.AddRange(next.Request.Jobs);
        }

        if (taken.Count == 0)
        {
            return false;
        }

        try
        {
            var result = await EnqueueCommand.RunAsync(context, new JobEnqueue(jobs), CancellationToken.None).ConfigureAwait(false);
            var offset = 0;
            foreach (var one in taken)
            {
                var count = one.Request.Jobs.Count;
                one.Done.TrySetResult(result.Status == EnqueueStatus.Ok
                    ? new EnqueueResult(result.Jobs.Skip(offset).Take(count).ToArray())
                    : result);
                offset += count;
            }
        }
        catch (Exception e)
        {
            foreach (var one in taken)
            {
                one.Done.TrySetException(e);
            }
        }

        return true;
    }

    private sealed class Pending(JobEnqueue request)
    {
        public JobEnqueue Request { get; } = request;

        public TaskCompletionSource<EnqueueResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
