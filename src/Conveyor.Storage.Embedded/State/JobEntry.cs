using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// One job as the embedded store holds it in memory: mutable, owned by the writer loop, times in UTC
/// ticks (0 = none). It is also a node of its queue's available list (<see cref="Prev"/>/<see cref="Next"/>).
/// </summary>
internal sealed class JobEntry
{
    // Kept small: a million of these live in memory and the GC copies each new one twice on its way to gen 2.
    // Fields most jobs leave empty live in Rare (null for them), and the small numbers are bytes.
    private byte priority;
    private byte state;
    private RareFields? rare;

    /// <summary>The job's id: a server-assigned one as its value, not a string (<see cref="JobKey"/>).</summary>
    public required JobKey Key { get; init; }

    public required QueueState Queue { get; set; }

    public required string Type { get; init; }

    public required byte[] Args { get; init; }

    public required int Priority { get => priority; init => priority = checked((byte)value); }

    public required int MaxAttempts { get; init; }

    public required int LeaseSeconds { get; init; }

    public required long CreatedAt { get; init; }

    public required Backoff Backoff { get; init; }

    /// <summary>The job's <c>dead: false</c>: when its attempts run out it is removed instead of kept dead.</summary>
    public bool DiscardWhenDead { get; init; }

    public string? UniqueKey
    {
        get => rare?.UniqueKey;
        init
        {
            if (value is not null)
            {
                Rare.UniqueKey = value;
            }
        }
    }

    public long UniqueUntil
    {
        get => rare?.UniqueUntil ?? 0;
        init
        {
            if (value != 0)
            {
                Rare.UniqueUntil = value;
            }
        }
    }

    /// <summary>Which states hold <see cref="UniqueKey"/>.</summary>
    public UniqueMode UniqueMode
    {
        get => rare?.UniqueMode ?? UniqueMode.UntilFinished;
        init
        {
            if (value != UniqueMode.UntilFinished)
            {
                Rare.UniqueMode = value;
            }
        }
    }

    /// <summary>The longest one attempt may run, in seconds; 0: no limit but the lease.</summary>
    public int TimeoutSeconds
    {
        get => rare?.TimeoutSeconds ?? 0;
        init
        {
            if (value != 0)
            {
                Rare.TimeoutSeconds = value;
            }
        }
    }

    /// <summary>
    /// While active with a <see cref="TimeoutSeconds"/>: when the attempt must end (its lease start plus the timeout and
    /// <see cref="JobDefaults.TimeoutGraceSeconds"/>); the lease never runs past it. 0 otherwise.
    /// </summary>
    public long AttemptDeadline
    {
        get => rare?.AttemptDeadline ?? 0;
        set
        {
            if (value != 0 || rare is not null)
            {
                Rare.AttemptDeadline = value;
            }
        }
    }

    public string[] Tags
    {
        get => rare?.Tags ?? [];
        init
        {
            if (value.Length > 0)
            {
                Rare.Tags = value;
            }
        }
    }

    public KeyValuePair<string, string>[] Meta
    {
        get => rare?.Meta ?? [];
        init
        {
            if (value.Length > 0)
            {
                Rare.Meta = value;
            }
        }
    }

    /// <summary>Creation order; listing is newest (highest) first. Assigned when the job is added.</summary>
    public long Seq { get; set; }

    /// <summary>The job's place in the sequence index (<see cref="SeqIndex"/>), where its state is counted per block.</summary>
    public int SeqSlot { get; set; }

    /// <summary>The order in which the job became available; FIFO within a priority.</summary>
    public long ReadySeq { get; set; }

    public JobState State { get => (JobState)state; set => state = checked((byte)value); }

    public int Attempt { get; set; }

    public long RunAt { get; set; }

    public long FinishedAt { get; set; }

    /// <summary>
    /// When the job last became available (enqueued, promoted, retried or requeued); meaningful while it is available:
    /// the head of its queue's list gives the queue's <see cref="QueueState.OldestAvailableAt"/>. While the job is active
    /// it holds when the job was leased instead, so its settle can measure the run time without another field per job.
    /// </summary>
    public long AvailableAt { get; set; }

    /// <summary>The newest failures, oldest first; null until the first.</summary>
    public List<JobFailure>? Failures
    {
        get => rare?.Failures;
        set
        {
            if (value is not null || rare is not null)
            {
                Rare.Failures = value;
            }
        }
    }

    /// <summary>The current or last attempt's progress; null until one is reported.</summary>
    public JobProgress? Progress
    {
        get => rare?.Progress;
        set
        {
            if (value is not null || rare is not null)
            {
                Rare.Progress = value;
            }
        }
    }

    /// <summary>The raw JSON result the completing ack carried; null for none.</summary>
    public byte[]? Result
    {
        get => rare?.Result;
        set
        {
            if (value is not null || rare is not null)
            {
                Rare.Result = value;
            }
        }
    }

    public long LeaseToken { get; set; }

    public string? LeaseWorker { get; set; }

    public long LeaseExpiresAt { get; set; }

    /// <summary>Set when the job left the table (pruned or purged); stale index entries check it.</summary>
    public bool Removed { get; set; }

    public JobEntry? Prev { get; set; }

    public JobEntry? Next { get; set; }

    /// <summary>
    /// A copy of everything a snapshot writes (not the index links or the removed mark), with its own failure list:
    /// what a snapshot in progress keeps of a job the writer is about to change (<see cref="SnapshotCut"/>).
    /// </summary>
    public JobEntry CopyForSnapshot() => new()
    {
        Key = Key,
        Queue = Queue,
        Type = Type,
        Args = Args,
        Priority = Priority,
        MaxAttempts = MaxAttempts,
        LeaseSeconds = LeaseSeconds,
        CreatedAt = CreatedAt,
        Backoff = Backoff,
        DiscardWhenDead = DiscardWhenDead,
        UniqueKey = UniqueKey,
        UniqueUntil = UniqueUntil,
        UniqueMode = UniqueMode,
        TimeoutSeconds = TimeoutSeconds,
        AttemptDeadline = AttemptDeadline,
        Tags = Tags,
        Meta = Meta,
        Seq = Seq,
        ReadySeq = ReadySeq,
        State = State,
        Attempt = Attempt,
        RunAt = RunAt,
        FinishedAt = FinishedAt,
        AvailableAt = AvailableAt,
        Failures = Failures is null ? null : [.. Failures],
        Progress = Progress,
        Result = Result,
        LeaseToken = LeaseToken,
        LeaseWorker = LeaseWorker,
        LeaseExpiresAt = LeaseExpiresAt,
    };

    /// <summary>True while the job holds its unique key at <paramref name="now"/>.</summary>
    public bool HoldsUniqueKey(long now) => UniqueKey is not null && !Removed && HoldsInState && now < UniqueUntil;

    /// <summary>Whether the job's state holds its unique key under its <see cref="UniqueMode"/>, whatever the time.</summary>
    public bool HoldsInState => UniqueMode switch
    {
        UniqueMode.UntilStarted => State is JobState.Scheduled or JobState.Available && Attempt == 0,
        UniqueMode.UntilCompleted => State is not (JobState.Completed or JobState.Cancelled),
        _ => !State.IsTerminal(),
    };

    /// <summary>Whether the lease now running ends at the attempt's deadline: its expiry is then a timeout, not a lost worker.</summary>
    public bool LeaseEndsAtDeadline => AttemptDeadline != 0 && LeaseExpiresAt >= AttemptDeadline;

    private RareFields Rare => rare ??= new RareFields();

    /// <summary>What most jobs do not have: a unique key, a timeout, tags, meta, failures, progress, a result.</summary>
    private sealed class RareFields
    {
        public string? UniqueKey { get; set; }

        public long UniqueUntil { get; set; }

        public UniqueMode UniqueMode { get; set; }

        public int TimeoutSeconds { get; set; }

        public long AttemptDeadline { get; set; }

        public string[] Tags { get; set; } = [];

        public KeyValuePair<string, string>[] Meta { get; set; } = [];

        public List<JobFailure>? Failures { get; set; }

        public JobProgress? Progress { get; set; }

        public byte[]? Result { get; set; }
    }
}
