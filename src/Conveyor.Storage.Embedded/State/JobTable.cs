using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// The embedded store's whole state, in memory, owned by the writer loop (no locks). Changes come only
/// through <see cref="Apply"/>, both live and on replay, so recovery rebuilds exactly the live state.
/// Index entries for due and leased jobs are lazy: stale ones are skipped when reached, and the due and lease
/// heaps are compacted when stale entries outnumber live ones (JobTable.Timers.cs). Finished jobs are in
/// intrusive lists they leave with their state.
/// </summary>
internal sealed partial class JobTable
{
    /// <summary>
    /// Every job, found by its key (<see cref="byKey"/>): a set of the entries themselves, 16 bytes a job, where a
    /// dictionary would hold each key a second time beside its entry.
    /// </summary>
    private readonly HashSet<JobEntry> jobs;
    private readonly HashSet<JobEntry>.AlternateLookup<JobKey> byKey;
    private readonly Dictionary<string, QueueState> queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobEntry> uniqueHolders = new(StringComparer.Ordinal);

    /// <summary>
    /// Active jobs by lease token (tokens are unique per lease): a settle finds its job in this small,
    /// cache-resident table instead of hashing its id into the million-entry <see cref="jobs"/>.
    /// </summary>
    private readonly Dictionary<long, JobEntry> leasedByToken = [];
    private const int MaxSharedTypes = 10_000;

    private readonly Dictionary<string, string> types = new(StringComparer.Ordinal);
    private string? lastType;
    private string? lastSharedType;
    private string? lastQueueName;
    private QueueState? lastQueue;
    private readonly PriorityQueue<JobEntry, long> due = new();
    private readonly PriorityQueue<(JobEntry Job, long Token), long> leases = new();

    // Finished jobs of each terminal state in the order they finished, for pruning oldest first. Intrusive lists: a
    // million finished jobs cost no index memory, and a job leaves its list when it leaves the state.
    private readonly JobFifo completed = new();
    private readonly JobFifo dead = new();
    private readonly JobFifo cancelled = new();

    private readonly SeqIndex bySeq = new();
    private readonly long[] stateCounts = new long[8];

    public JobTable()
    {
        jobs = new HashSet<JobEntry>(JobEntryKeyComparer.Instance);
        byKey = jobs.GetAlternateLookup<JobKey>();
    }

    /// <summary>The last creation sequence number given out.</summary>
    public long LastSeq { get; private set; }

    /// <summary>The last available-order number given out.</summary>
    public long LastReadySeq { get; private set; }

    /// <summary>The last lease token given out; tokens are never reused.</summary>
    public long LastLeaseToken { get; private set; }

    /// <summary>Acks ever.</summary>
    public long Processed { get; private set; }

    /// <summary>Failures ever (lease expiries included).</summary>
    public long Failed { get; private set; }

    public int JobCount => jobs.Count;

    public IReadOnlyCollection<QueueState> Queues => queues.Values;

    public JobEntry? Find(JobKey id) => byKey.TryGetValue(id, out var job) ? job : null;

    /// <summary>A job an event names, which the table must hold.</summary>
    private JobEntry Get(JobKey id) => Find(id) ?? throw new KeyNotFoundException($"job '{id}' is not in the table");

    /// <summary>
    /// Whether <paramref name="token"/> is job <paramref name="id"/>'s current lease (settle, heartbeat): found by
    /// the token in a table the size of what is leased; the id is looked up only to tell stale from unknown.
    /// </summary>
    public (SettleStatus Status, JobEntry? Job) CheckLease(JobKey id, string? token)
    {
        if (leasedByToken.TryGetValue(ParseToken(token), out var job) && job.Key == id)
        {
            return (SettleStatus.Ok, job);
        }

        return Find(id) is { } other ? (SettleStatus.Stale, other) : (SettleStatus.Unknown, null);
    }

    public QueueState? FindQueue(string name) => queues.GetValueOrDefault(name);

    public long CountIn(JobState state) => stateCounts[(int)state];

    /// <summary>The job holding <paramref name="uniqueKey"/> at <paramref name="now"/>, if any.</summary>
    public JobEntry? UniqueHolder(string uniqueKey, long now) =>
        uniqueHolders.TryGetValue(uniqueKey, out var holder) && holder.HoldsUniqueKey(now) ? holder : null;

    private QueueState GetOrAddQueue(string name)
    {
        // A batch's jobs mostly name one queue with one string: skip the lookup for a run of them.
        if (lastQueue is { } last && ReferenceEquals(name, lastQueueName))
        {
            return last;
        }

        if (!queues.TryGetValue(name, out var queue))
        {
            queue = new QueueState(name);
            queues.Add(name, queue);
        }

        (lastQueueName, lastQueue) = (name, queue);
        return queue;
    }

    /// <summary>
    /// One string per job type, shared by every job of that type (a million jobs of three types hold three
    /// strings, not a million). Past <see cref="MaxSharedTypes"/> distinct types, new ones are kept as given.
    /// </summary>
    internal string ShareType(string type)
    {
        if (ReferenceEquals(type, lastType) || ReferenceEquals(type, lastSharedType))
        {
            return lastSharedType!;
        }

        if (types.TryGetValue(type, out var shared))
        {
            (lastType, lastSharedType) = (type, shared);
            return shared;
        }

        if (types.Count < MaxSharedTypes)
        {
            types.Add(type, type);
        }

        return type;
    }

    /// <summary>Adds a job in its current <see cref="JobEntry.State"/> (live, replay and snapshot load).</summary>
    private void Add(JobEntry job)
    {
        Register(job);
        Enter(job, job.State);
    }

    /// <summary>Adds a job to the lookups, without entering its state's indexes.</summary>
    private void Register(JobEntry job)
    {
        if (!jobs.Add(job))
        {
            throw new ArgumentException($"job '{job.Key}' is already in the table", nameof(job));
        }

        bySeq.Add(job);
        LastSeq = Math.Max(LastSeq, job.Seq);
        if (job.UniqueKey is not null && !job.State.IsTerminal())
        {
            uniqueHolders[job.UniqueKey] = job;
        }
    }

    private void Remove(JobEntry job)
    {
        Leave(job);
        jobs.Remove(job);
        job.Removed = true;
        bySeq.MarkRemoved();
        if (job.UniqueKey is not null && uniqueHolders.TryGetValue(job.UniqueKey, out var holder) && holder == job)
        {
            uniqueHolders.Remove(job.UniqueKey);
        }
    }

    /// <summary>
    /// Drops every job and queue. The jobs themselves are left as they are, unvisited: a snapshot being cut still
    /// writes them as they were, and nothing else holds them. The counters go on (sequence numbers and lease tokens
    /// are never reused, so a late ack of a flushed job is unknown, not someone else's) and the lifetime totals stay.
    /// </summary>
    private void Flush()
    {
        jobs.Clear();
        queues.Clear();
        (lastQueueName, lastQueue) = (null, null);
        uniqueHolders.Clear();
        leasedByToken.Clear();
        due.Clear();
        leases.Clear();
        completed.Clear();
        dead.Clear();
        cancelled.Clear();
        bySeq.Clear();
        Array.Clear(stateCounts);
    }

    /// <summary>Moves a job to <paramref name="state"/>, keeping counts and indexes right.</summary>
    private void MoveTo(JobEntry job, JobState state)
    {
        Leave(job);
        job.State = state;
        if (state == JobState.Available)
        {
            job.ReadySeq = ++LastReadySeq;
        }

        Enter(job, state);
    }

    private void Leave(JobEntry job)
    {
        stateCounts[(int)job.State]--;
        var queue = job.Queue;
        switch (job.State)
        {
            case JobState.Available:
                queue.RemoveAvailable(job);
                break;
            case JobState.Scheduled:
                queue.Scheduled--;
                break;
            case JobState.Retrying:
                queue.Retrying--;
                break;
            case JobState.Active:
                queue.Active--;
                leasedByToken.Remove(job.LeaseToken);
                job.LeaseToken = 0;
                job.LeaseWorker = null;
                job.LeaseExpiresAt = 0;
                break;
            default:
                Finished(job.State).Remove(job);
                break;
        }
    }

    /// <summary>The list of jobs finished in <paramref name="state"/> (completed, dead or cancelled).</summary>
    private JobFifo Finished(JobState state) => state switch
    {
        JobState.Completed => completed,
        JobState.Dead => dead,
        JobState.Cancelled => cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a finished state"),
    };

    private void Enter(JobEntry job, JobState state)
    {
        stateCounts[(int)state]++;
        var queue = job.Queue;
        switch (state)
        {
            case JobState.Available:
                queue.AddAvailable(job);
                break;
            case JobState.Scheduled:
                queue.Scheduled++;
                EnqueueDue(job);
                break;
            case JobState.Retrying:
                queue.Retrying++;
                EnqueueDue(job);
                break;
            case JobState.Active:
                queue.Active++;
                leasedByToken[job.LeaseToken] = job;
                EnqueueLease(job);
                break;
            default:
                Finished(state).Append(job);
                break;
        }
    }
}
