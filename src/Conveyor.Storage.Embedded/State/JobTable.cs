using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// The embedded store's whole state, in memory, owned by the writer loop (no locks). Changes come only
/// through <see cref="Apply"/>, both live and on replay, so recovery rebuilds exactly the live state.
/// Due and leased jobs are found through <see cref="JobTimers"/>, finished ones through <see cref="FinishedJobs"/>;
/// the views are <see cref="JobViews"/> and the snapshot body <see cref="SnapshotCodec"/>.
/// </summary>
internal sealed class JobTable
{
    /// <summary>
    /// Every job, found by its key (<see cref="byKey"/>): a set of the entries themselves, 16 bytes a job, where a
    /// dictionary would hold each key a second time beside its entry.
    /// </summary>
    private readonly HashSet<JobEntry> jobs;
    private readonly HashSet<JobEntry>.AlternateLookup<JobKey> byKey;
    private readonly Dictionary<string, JobEntry> uniqueHolders = new(StringComparer.Ordinal);

    /// <summary>
    /// Active jobs by lease token (tokens are unique per lease): a settle finds its job in this small,
    /// cache-resident table instead of hashing its id into the million-entry <see cref="jobs"/>.
    /// </summary>
    private readonly Dictionary<long, JobEntry> leasedByToken = [];

    private readonly SeqIndex bySeq = new();
    private readonly long[] stateCounts = new long[8];
    private readonly FinishedJobs finished = new();

    // Structs with their own concern, held here rather than behind a reference of their own so that the per-job
    // paths reach their data as directly as when it was fields of this class. Not readonly: they change in place.
    private QueueDirectory queues = new();
    private SharedTypes types = new();
    private JobTimers timers = new();

    /// <summary>The snapshot being written a slice at a time, if any: <see cref="Apply"/> tells it before a job changes.</summary>
    private SnapshotCut? cut;

    public JobTable()
    {
        jobs = new HashSet<JobEntry>(JobEntryKeyComparer.Instance);
        byKey = jobs.GetAlternateLookup<JobKey>();
    }

    /// <summary>The jobs waiters wait on (the live table's; null on replay and snapshot load): told when one finishes or goes.</summary>
    public FinishWatch? Watch { get; set; }

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

    /// <summary>The schedules (periodic jobs). A FLUSH leaves them: they are configuration, not jobs.</summary>
    public CronTable Cron { get; } = new();

    /// <summary>
    /// The memory the jobs held take as the store accounts it (<see cref="JobFootprint"/>): what the memory budget is
    /// checked against. Rebuilt by replay and snapshot load like the rest of the state, so it is the same after a restart.
    /// </summary>
    public long HeldBytes { get; private set; }

    /// <summary>
    /// The most jobs one listing looks at (<see cref="JobViews.List"/>): past it the page ends early, with a cursor to
    /// go on from. Settable for tests.
    /// </summary>
    public int ListScanBudget { get; set; } = 100_000;

    /// <summary>Entries in the due and lease heaps, stale ones included (tests watch them stay bounded).</summary>
    internal (int Due, int Leases) HeapSizes => timers.HeapSizes;

    public IReadOnlyCollection<QueueState> Queues => queues.All;

    public JobEntry? Find(JobKey id) => byKey.TryGetValue(id, out var job) ? job : null;

    /// <summary>
    /// A job an event names, which the table must hold. The writer never makes such an event, so a replayed one (a
    /// record whose CRC holds but that names a job the log never created) is corruption, reported as a decode error is.
    /// </summary>
    private JobEntry Get(JobKey id) => Find(id) ?? throw new InvalidDataException($"an event names job '{id}', which is not in the table");

    /// <summary>
    /// Whether <paramref name="token"/> is job <paramref name="id"/>'s current lease (settle, heartbeat): found by
    /// the token in a table the size of what is leased; the id is looked up only to tell stale from unknown.
    /// </summary>
    public (SettleStatus Status, JobEntry? Job) CheckLease(JobKey id, string? token)
    {
        if (leasedByToken.TryGetValue(JobViews.ParseToken(token), out var job) && job.Key == id)
        {
            return (SettleStatus.Ok, job);
        }

        return Find(id) is { } other ? (SettleStatus.Stale, other) : (SettleStatus.Unknown, null);
    }

    public QueueState? FindQueue(string name) => queues.Find(name);

    public long CountIn(JobState state) => stateCounts[(int)state];

    /// <summary>The job holding <paramref name="uniqueKey"/> at <paramref name="now"/>, if any.</summary>
    public JobEntry? UniqueHolder(string uniqueKey, long now) =>
        uniqueHolders.TryGetValue(uniqueKey, out var holder) && holder.HoldsUniqueKey(now) ? holder : null;

    /// <summary>Live jobs with <see cref="JobEntry.Seq"/> below <paramref name="before"/>, newest first.</summary>
    public IEnumerable<JobEntry> Descending(long before, JobState? state = null) => bySeq.Descending(before, state);

    /// <summary>Scheduled or retrying jobs due at <paramref name="now"/>, at most <paramref name="max"/>; an event must follow for each.</summary>
    public List<JobEntry> TakeDue(long now, int max) => timers.TakeDue(now, max);

    /// <summary>Active jobs whose lease ran out at <paramref name="now"/>, at most <paramref name="max"/>; an event must follow for each.</summary>
    public List<JobEntry> TakeExpiredLeases(long now, int max) => timers.TakeExpiredLeases(now, max);

    /// <summary>Finished jobs past retention or over the caps, oldest first; they stay until the prune is applied.</summary>
    public List<JobEntry> TakePrunable(long now, RetentionPolicy retention, int max) => finished.TakePrunable(now, retention, max);

    /// <summary>
    /// Writes the snapshot body's header as it is now and returns the cut that writes the jobs as they are now, however
    /// the table changes meanwhile, until <see cref="EndSnapshot"/>.
    /// </summary>
    public SnapshotCut BeginSnapshot(PayloadBuffer output)
    {
        if (cut is not null)
        {
            throw new InvalidOperationException("a snapshot is already being written");
        }

        SnapshotCodec.WriteHeader(new PayloadWriter(output), this);

        // The cut copies the sequence index's references as they are (a copy of memory, not a visit to every job: with
        // millions of jobs that visit was a cache miss each, a pause of hundreds of milliseconds for the writer) and
        // skips the jobs removed before the cut as it writes them.
        cut = new SnapshotCut(bySeq.Copy(), jobs.Count, output);
        return cut;
    }

    /// <summary>The snapshot is written or given up: the table stops keeping copies for it.</summary>
    public void EndSnapshot() => cut = null;

    /// <summary>Sets the counters a snapshot body holds (<see cref="SnapshotCodec.Read"/>), on a new table.</summary>
    internal void RestoreCounters(long lastSeq, long lastReadySeq, long lastLeaseToken, long processed, long failed) =>
        (LastSeq, LastReadySeq, LastLeaseToken, Processed, Failed) = (lastSeq, lastReadySeq, lastLeaseToken, processed, failed);

    internal QueueState GetOrAddQueue(string name) => queues.GetOrAdd(name);

    /// <summary>
    /// The queue a job loaded from a snapshot names: the listed one, or, for a finished job of a removed queue, a
    /// stand-in that is not listed (<see cref="Enter"/> makes the queue anew if the job comes back to life).
    /// </summary>
    internal QueueState QueueOfLoadedJob(string name) => queues.Find(name) ?? queues.Removed(name);

    /// <summary>The one string kept for job type <paramref name="type"/> (<see cref="SharedTypes"/>).</summary>
    internal string ShareType(string type) => types.Share(type);

    /// <summary>Adds a job in its current <see cref="JobEntry.State"/> (live, replay and snapshot load).</summary>
    private void Add(JobEntry job)
    {
        Register(job);
        Enter(job, job.State);
    }

    /// <summary>Adds a job to the lookups, without entering its state's indexes (snapshot load enters them in order after).</summary>
    internal void Register(JobEntry job)
    {
        if (!jobs.Add(job))
        {
            // The writer never creates a job twice: a replayed event or a snapshot that does is corruption.
            throw new InvalidDataException($"job '{job.Key}' is already in the table");
        }

        bySeq.Add(job);
        HeldBytes += JobFootprint.Of(job);
        LastSeq = Math.Max(LastSeq, job.Seq);
        if (job.UniqueKey is not null && job.HoldsInState
            && !(uniqueHolders.TryGetValue(job.UniqueKey, out var holder) && holder.Seq > job.Seq && holder.HoldsInState))
        {
            // The newest job in a holding state is the one a duplicate names (a snapshot loads jobs in any order).
            uniqueHolders[job.UniqueKey] = job;
        }
    }

    private void Remove(JobEntry job)
    {
        Leave(job);
        jobs.Remove(job);
        HeldBytes -= JobFootprint.Of(job);
        job.Removed = true;
        bySeq.MarkRemoved();
        if (Watch is { Any: true } watch)
        {
            watch.Note(job.Key);
        }

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
        uniqueHolders.Clear();
        leasedByToken.Clear();
        timers.Clear();
        finished.Clear();
        bySeq.Clear();
        Array.Clear(stateCounts);
        HeldBytes = 0;
        Watch?.NoteAll();
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
        bySeq.Count(job, job.State, -1);
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
                job.AttemptDeadline = 0;
                break;
            default:
                finished.In(job.State).Remove(job);
                break;
        }
    }

    /// <summary>Enters a job in its state's counts and indexes (snapshot load calls it in the lists' order).</summary>
    internal void Enter(JobEntry job, JobState state)
    {
        stateCounts[(int)state]++;
        bySeq.Count(job, state, 1);
        if (job.Queue.Removed && !state.IsTerminal())
        {
            // A finished job of a removed queue retried or requeued: its queue comes back.
            job.Queue = queues.GetOrAdd(job.Queue.Name);
        }

        var queue = job.Queue;
        switch (state)
        {
            case JobState.Available:
                queue.AddAvailable(job);
                break;
            case JobState.Scheduled:
                queue.Scheduled++;
                timers.EnqueueDue(job);
                break;
            case JobState.Retrying:
                queue.Retrying++;
                timers.EnqueueDue(job);
                break;
            case JobState.Active:
                queue.Active++;
                leasedByToken[job.LeaseToken] = job;
                timers.EnqueueLease(job);
                break;
            default:
                finished.In(state).Append(job);
                if (Watch is { Any: true } watch)
                {
                    watch.Note(job.Key);
                }

                break;
        }
    }

    public void Apply(StoreEvent e)
    {
        switch (e)
        {
            case JobsEnqueued { Entries: { } entries }:
                foreach (var job in entries)
                {
                    AddNew(job);
                }

                break;
            case JobsEnqueued x:
                foreach (var job in x.Jobs)
                {
                    AddNew(EntryOf(job, x.At));
                }

                break;
            case JobsLeased x:
                foreach (var lease in x.Leases)
                {
                    var job = Touch(lease.Entry ?? Get(lease.Id));
                    Leave(job);
                    job.State = JobState.Active;
                    job.Attempt++;
                    job.RunAt = 0;
                    job.LeaseToken = lease.Token;
                    job.LeaseWorker = x.WorkerId;
                    job.LeaseExpiresAt = lease.ExpiresAt;
                    job.AvailableAt = x.At; // while active: when leased (the run time's start)
                    job.AttemptDeadline = job.TimeoutSeconds == 0 ? 0 : x.At + TimeSpan.FromSeconds(job.TimeoutSeconds + JobDefaults.TimeoutGraceSeconds).Ticks;
                    if (job.Progress is { } previous)
                    {
                        // Progress belongs to an attempt: a new one starts without.
                        HeldBytes -= JobFootprint.Of(previous);
                        job.Progress = null;
                    }

                    LastLeaseToken = Math.Max(LastLeaseToken, lease.Token);
                    Enter(job, JobState.Active);
                }

                break;
            case JobsSettled x:
                foreach (var settled in x.Jobs)
                {
                    Settle(Touch(settled.Entry ?? Get(settled.Id)), settled, x.At);
                }

                break;
            case JobProgressed x:
                var progressed = Touch(x.Id);
                HeldBytes -= JobFootprint.Of(progressed.Progress);
                progressed.Progress = new JobProgress(x.Percent, x.Message, Ticks.ToTime(x.At));
                HeldBytes += JobFootprint.Of(progressed.Progress);
                break;
            case LeaseExtended x:
                var extended = Touch(x.Id);
                extended.LeaseExpiresAt = x.ExpiresAt;
                timers.EnqueueLease(extended);
                break;
            case JobCancelled x:
                var cancelled = Touch(x.Id);
                cancelled.FinishedAt = x.At;
                cancelled.RunAt = 0;
                MoveTo(cancelled, JobState.Cancelled);
                break;
            case JobRetried x:
                MakeAvailable(x.Id, x.At);
                break;
            case JobsPromoted x:
                MakeAvailable(x.Ids, x.At);
                break;
            case JobsPruned { Entries: { } entries }:
                foreach (var job in entries)
                {
                    Remove(Touch(job));
                }

                break;
            case JobsPruned x:
                Array.ForEach(x.Ids, Remove);
                break;
            case QueuePaused x:
                GetOrAddQueue(x.Name).Paused = true;
                break;
            case QueueResumed x:
                GetOrAddQueue(x.Name).Paused = false;
                break;
            case QueuePurged x:
                GetOrAddQueue(x.Name);
                Array.ForEach(x.Ids, Remove);
                break;
            case JobsKilled x:
                foreach (var id in x.Ids)
                {
                    var job = Touch(id);
                    job.RunAt = 0;
                    job.FinishedAt = x.At;
                    MoveTo(job, JobState.Dead);
                }

                break;
            case JobsDiscarded x:
                Array.ForEach(x.Ids, Remove);
                break;
            case JobsRequeued x:
                MakeAvailable(x.Ids, x.At);
                break;
            case StoreFlushed:
                Flush();
                break;
            case LeaseTokensSkipped x:
                LastLeaseToken = Math.Max(LastLeaseToken, x.Floor);
                break;
            case QueueRemoved x:
                queues.Remove(x.Name);
                break;
            case LeasesReleased x:
                foreach (var id in x.Ids)
                {
                    // As if the fetch had not leased it: the attempt it would have been is not counted.
                    Touch(id).Attempt--;
                    MakeAvailable(id, x.At);
                }

                break;
            case CronSaved or CronDeleted or CronFired:
                Cron.Apply(e);
                break;
            default:
                throw new InvalidDataException($"unknown event {e.GetType().Name}");
        }
    }

    /// <summary>
    /// Every existing job an event changes is reached through here first, so a snapshot being written keeps the
    /// job as it was before the change (<see cref="SnapshotCut"/>).
    /// </summary>
    private JobEntry Touch(JobEntry job)
    {
        cut?.Preserve(job);
        return job;
    }

    private JobEntry Touch(JobKey id) => Touch(Get(id));

    /// <summary>Operator retry, promotion and requeue all make a job available now, first-come within its priority.</summary>
    private void MakeAvailable(JobKey id, long at)
    {
        var job = Touch(id);
        job.RunAt = 0;
        job.FinishedAt = 0;
        job.AvailableAt = at;
        MoveTo(job, JobState.Available);
    }

    private void MakeAvailable(JobKey[] ids, long at)
    {
        foreach (var id in ids)
        {
            MakeAvailable(id, at);
        }
    }

    private void Remove(JobKey id) => Remove(Touch(id));

    /// <summary>
    /// A new job's entry, not yet in the table (<see cref="Apply"/> adds it): the enqueue command makes them for
    /// <see cref="JobsEnqueued.Entries"/>, replay from the record's jobs. The job's queue is added to the table now if it
    /// is new. Nothing between this and the event's apply throws for a validated spec; were it left without its jobs, it would
    /// be an empty queue, as one whose jobs were all pruned is, and a batch that fails to commit reloads the state anyway.
    /// </summary>
    public JobEntry NewEntry(
        JobKey id, string queue, string type, byte[] args, int priority, int maxAttempts, int leaseSeconds, long runAt,
        string? uniqueKey, long uniqueUntil, string[] tags, KeyValuePair<string, string>[] meta, Backoff backoff, bool discardWhenDead, long at,
        UniqueMode uniqueMode = UniqueMode.UntilFinished, int timeoutSeconds = 0) => new()
        {
            Key = id,
            Queue = GetOrAddQueue(queue),
            Type = ShareType(type),
            Args = args,
            Priority = priority,
            MaxAttempts = maxAttempts,
            LeaseSeconds = leaseSeconds,
            CreatedAt = at,
            Backoff = backoff,
            DiscardWhenDead = discardWhenDead,
            UniqueKey = uniqueKey,
            UniqueUntil = uniqueUntil,
            UniqueMode = uniqueMode,
            TimeoutSeconds = timeoutSeconds,
            Tags = tags,
            Meta = meta,
            State = runAt == 0 ? JobState.Available : JobState.Scheduled,
            RunAt = runAt,
        };

    private JobEntry EntryOf(NewJob spec, long at) => NewEntry(
        spec.Id, spec.Queue, spec.Type, spec.Args, spec.Priority, spec.MaxAttempts, spec.LeaseSeconds, spec.RunAt,
        spec.UniqueKey, spec.UniqueUntil, spec.Tags, spec.Meta, spec.Backoff, spec.DiscardWhenDead, at, spec.UniqueMode, spec.TimeoutSeconds);

    private void AddNew(JobEntry job)
    {
        job.Seq = LastSeq + 1;
        job.ReadySeq = job.State == JobState.Available ? ++LastReadySeq : 0;
        job.AvailableAt = job.State == JobState.Available ? job.CreatedAt : 0;
        Add(job);
    }

    private void Settle(JobEntry job, SettledJob settled, long at)
    {
        if (settled.Failure is { } failure)
        {
            job.Failures ??= [];
            job.Failures.Add(failure);
            HeldBytes += JobFootprint.Of(failure);
            if (job.Failures.Count > JobFailure.HistoryLimit)
            {
                HeldBytes -= JobFootprint.Of(job.Failures[0]);
                job.Failures.RemoveAt(0);
            }

            Failed++;
        }
        else
        {
            Processed++;
            if (settled.Result is { } result)
            {
                job.Result = result;
                HeldBytes += JobFootprint.Of(result);
            }
        }

        if (settled.Next == JobState.Dead && job.DiscardWhenDead)
        {
            // dead: false — the attempts ran out (fail or lease expiry), so the job goes, in this same record.
            Remove(job);
            return;
        }

        job.RunAt = settled.Next == JobState.Retrying ? settled.RunAt : 0;
        job.FinishedAt = settled.Next.IsTerminal() ? at : 0;
        MoveTo(job, settled.Next);
    }
}
