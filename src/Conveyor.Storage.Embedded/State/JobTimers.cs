using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// Finding the jobs whose time came: due scheduled/retrying jobs and expired leases. The due and lease heaps are lazy
/// and popped up to <c>now</c>, so the caller must apply an event for every job returned (the popped entries are gone).
/// </summary>
/// <remarks>
/// A heap entry goes stale when its job moves on before the entry's time (a job acked long before its 30-minute lease
/// ends, a scheduled job cancelled). Left until its time, a stale entry would keep a removed job reachable, so memory
/// would grow with throughput × lease length; instead a heap is rebuilt from its live entries whenever it has doubled
/// since the last rebuild (amortised O(1)). A struct, held in a field of <see cref="JobTable"/> (never copied): every
/// fetch adds a lease entry per job, and the heaps stay one reference away from the table, as before they had a type
/// of their own.
/// </remarks>
internal struct JobTimers()
{
    private const int MinCompactHeap = 1024;

    private readonly PriorityQueue<JobEntry, long> due = new();
    private readonly PriorityQueue<(JobEntry Job, long Token), long> leases = new();
    private readonly List<(JobEntry Element, long Priority)> dueKept = [];
    private readonly List<((JobEntry Job, long Token) Element, long Priority)> leasesKept = [];
    private int compactDueAt = MinCompactHeap;
    private int compactLeasesAt = MinCompactHeap;

    /// <summary>Entries in the due and lease heaps, stale ones included (tests watch them stay bounded).</summary>
    public readonly (int Due, int Leases) HeapSizes => (due.Count, leases.Count);

    public readonly List<JobEntry> TakeDue(long now, int max)
    {
        List<JobEntry> result = [];
        while (result.Count < max && due.TryPeek(out var job, out var runAt) && runAt <= now)
        {
            due.Dequeue();
            if (IsDue(job, runAt))
            {
                result.Add(job);
            }
        }

        return result;
    }

    public readonly List<JobEntry> TakeExpiredLeases(long now, int max)
    {
        List<JobEntry> result = [];
        while (result.Count < max && leases.TryPeek(out var entry, out var expiresAt) && expiresAt <= now)
        {
            leases.Dequeue();
            if (IsLeased(entry.Job, entry.Token, expiresAt))
            {
                result.Add(entry.Job);
            }
        }

        return result;
    }

    public void EnqueueDue(JobEntry job)
    {
        CompactIfDoubled(due, dueKept, static e => IsDue(e.Element, e.Priority), ref compactDueAt);
        due.Enqueue(job, job.RunAt);
    }

    public void EnqueueLease(JobEntry job)
    {
        CompactIfDoubled(leases, leasesKept, static e => IsLeased(e.Element.Job, e.Element.Token, e.Priority), ref compactLeasesAt);
        leases.Enqueue((job, job.LeaseToken), job.LeaseExpiresAt);
    }

    /// <summary>Forgets every entry (a flush removed every job).</summary>
    public void Clear()
    {
        due.Clear();
        leases.Clear();
        compactDueAt = MinCompactHeap;
        compactLeasesAt = MinCompactHeap;
    }

    private static bool IsDue(JobEntry job, long runAt) =>
        !job.Removed && job.State is JobState.Scheduled or JobState.Retrying && job.RunAt == runAt;

    private static bool IsLeased(JobEntry job, long token, long expiresAt) =>
        !job.Removed && job.State == JobState.Active && job.LeaseToken == token && job.LeaseExpiresAt == expiresAt;

    /// <summary>
    /// Rebuilds <paramref name="heap"/> from its live entries once it holds <paramref name="compactAt"/>; the next rebuild
    /// waits until it doubles again. The live entries go through <paramref name="kept"/>, kept from rebuild to rebuild
    /// (like the heap's own array): a drain rebuilds the lease heap every few thousand fetched jobs, and a new array
    /// each time is large-object heap, fresh memory every time.
    /// </summary>
    private static void CompactIfDoubled<T>(PriorityQueue<T, long> heap, List<(T Element, long Priority)> kept, Func<(T Element, long Priority), bool> live, ref int compactAt)
    {
        if (heap.Count < compactAt)
        {
            return;
        }

        kept.Clear();
        foreach (var entry in heap.UnorderedItems)
        {
            if (live(entry))
            {
                kept.Add(entry);
            }
        }

        heap.Clear();
        heap.EnqueueRange(kept);
        compactAt = Math.Max(MinCompactHeap, kept.Count * 2);
        kept.Clear();
    }
}
