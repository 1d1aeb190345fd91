using Conveyor.Broker;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Server.Faktory;

/// <summary>Walks every job in a state (optionally of one type), page by page, for MUTATE, FLUSH and LATENCY.</summary>
internal static class FaktoryJobScan
{
    public static async IAsyncEnumerable<JobInfo> AllAsync(
        JobBroker broker, JobState? state, string? queue, string? type, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await broker.ListJobsAsync(new JobList(state, queue, type, JobList.MaxLimit, cursor), cancellationToken).ConfigureAwait(false);
            foreach (var job in page.Jobs)
            {
                yield return job;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>Runs <paramref name="operation"/> over <paramref name="ids"/> in store-sized chunks; returns how many moved.</summary>
    public static async ValueTask<int> InChunksAsync(
        IReadOnlyList<string> ids, Func<IReadOnlyList<string>, CancellationToken, ValueTask<int>> operation, CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var chunk in ids.Chunk(JobDefaults.MaxBatch))
        {
            moved += await operation(chunk, cancellationToken).ConfigureAwait(false);
        }

        return moved;
    }
}
