using System.Globalization;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Embedded.State;

/// <summary>Read views of the state, in the Core types the contract returns; they never change the table.</summary>
internal static class JobViews
{
    public static string TokenText(long token) => token.ToString(CultureInfo.InvariantCulture);

    public static long ParseToken(string? token) =>
        long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;

    public static JobInfo ToInfo(JobEntry job) => new()
    {
        Key = job.Key,
        Queue = job.Queue.Name,
        Type = job.Type,
        Args = job.Args,
        Priority = job.Priority,
        State = job.State,
        Attempt = job.Attempt,
        MaxAttempts = job.MaxAttempts,
        Dead = !job.DiscardWhenDead,
        LeaseSeconds = job.LeaseSeconds,
        CreatedAt = Ticks.ToTime(job.CreatedAt),
        RunAt = Ticks.ToNullableTime(job.RunAt),
        FinishedAt = Ticks.ToNullableTime(job.FinishedAt),
        UniqueKey = job.UniqueKey,
        UniqueMode = job.UniqueMode,
        TimeoutSeconds = job.TimeoutSeconds == 0 ? null : job.TimeoutSeconds,
        Tags = job.Tags,
        Meta = job.Meta.Length == 0 ? JobDefaults.EmptyMeta : new Dictionary<string, string>(job.Meta),
        Backoff = job.Backoff,
        Failures = job.Failures is null ? [] : [.. job.Failures],
        Lease = job.State == JobState.Active
            ? new JobLease(TokenText(job.LeaseToken), job.LeaseWorker, Ticks.ToTime(job.LeaseExpiresAt))
            : null,
        Progress = job.Progress,
        Result = job.Result is { } result ? new ReadOnlyMemory<byte>(result) : (ReadOnlyMemory<byte>?)null,
    };

    /// <summary>
    /// A page of jobs, newest first. It looks at most <see cref="JobTable.ListScanBudget"/> jobs (~2–3 ms of the writer
    /// loop): past it the page ends early, with a cursor to go on from.
    /// </summary>
    public static JobPage List(JobTable table, JobList request)
    {
        var before = long.MaxValue;
        if (request.Cursor is not null && !long.TryParse(request.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out before))
        {
            return new JobPage([], null);
        }

        if (request.State is { } state && table.CountIn(state) == 0)
        {
            return new JobPage([], null);
        }

        List<JobInfo> page = [];
        JobEntry? last = null;
        var more = false;
        var scanned = 0;
        var filter = new JobFilter(request);
        foreach (var job in table.Descending(before, request.State))
        {
            if (filter.Matches(job))
            {
                if (page.Count == request.Limit)
                {
                    more = true;
                    break;
                }

                page.Add(ToInfo(job));
                last = job;
            }

            if (++scanned == table.ListScanBudget)
            {
                // A filter that matches little would scan the whole table on the writer loop: stop after this job and
                // let the caller go on below it (so a page may be short, even empty, before the end).
                return new JobPage(page, job.Seq.ToString(CultureInfo.InvariantCulture));
            }
        }

        return new JobPage(page, more ? last!.Seq.ToString(CultureInfo.InvariantCulture) : null);
    }

    public static IReadOnlyList<QueueInfo> ListQueues(JobTable table) =>
        [.. table.Queues.OrderBy(q => q.Name, StringComparer.Ordinal).Select(ToInfo)];

    /// <summary>
    /// A page of queues after <see cref="QueueList.After"/>: the queues are not kept sorted, so this looks at each once
    /// and sorts only the page (LINQ's OrderBy then Take selects the smallest without sorting the rest).
    /// </summary>
    public static QueuePage ListQueues(JobTable table, QueueList request)
    {
        var after = request.After;
        var page = table.Queues
            .Where(q => after is null || string.CompareOrdinal(q.Name, after) > 0)
            .OrderBy(q => q.Name, StringComparer.Ordinal)
            .Take(request.Limit + 1)
            .ToList();
        var more = page.Count > request.Limit;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return new QueuePage([.. page.Select(ToInfo)], more ? page[^1].Name : null);
    }

    private static QueueInfo ToInfo(QueueState q) => new(q.Name, q.Available, q.Scheduled, q.Retrying, q.Active, q.Paused)
    {
        OldestAvailableAt = Ticks.ToNullableTime(q.OldestAvailableAt()),
    };

    public static StoreStats Stats(JobTable table)
    {
        var counts = new Dictionary<JobState, long>();
        foreach (var state in JobStateNames.All)
        {
            counts[state] = table.CountIn(state);
        }

        return new StoreStats(counts, table.Processed, table.Failed);
    }
}
