using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>Encodes and decodes <see cref="StoreEvent"/> payloads (docs/storage-format.md, "Record types").</summary>
internal static class EventCodec
{
    private const byte DiscardWhenDeadFlag = 1;

    public static void Encode(StoreEvent e, PayloadBuffer output)
    {
        var w = new PayloadWriter(output);
        switch (e)
        {
            case JobsEnqueued x:
                w.WriteInt64(x.At);
                var type = x.Type;
                if (x.Entries is { } entries)
                {
                    // Applied already (Emit applies, then logs): adding an entry changes none of these fields.
                    WriteNewJobs(w, entries, type, static (w, job) => WriteNewJob(
                        w, job.Key, job.Queue.Name, job.Type, job.Args, job.Priority, job.MaxAttempts, job.LeaseSeconds, job.RunAt,
                        job.UniqueKey, job.UniqueUntil, job.Tags, job.Meta, job.Backoff, job.DiscardWhenDead, job.UniqueMode, job.TimeoutSeconds));
                }
                else
                {
                    WriteNewJobs(w, x.Jobs, type, static (w, job) => WriteNewJob(
                        w, job.Id, job.Queue, job.Type, job.Args, job.Priority, job.MaxAttempts, job.LeaseSeconds, job.RunAt,
                        job.UniqueKey, job.UniqueUntil, job.Tags, job.Meta, job.Backoff, job.DiscardWhenDead, job.UniqueMode, job.TimeoutSeconds));
                }

                break;
            case JobsLeased x:
                w.WriteInt64(x.At);
                w.WriteNullableString(x.WorkerId);
                w.WriteVarUInt((ulong)x.Leases.Length);
                foreach (var lease in x.Leases)
                {
                    w.WriteKey(lease.Id);
                    w.WriteVarUInt((ulong)lease.Token);
                    w.WriteInt64(lease.ExpiresAt);
                }

                break;
            case JobsSettled x:
                w.WriteInt64(x.At);
                w.WriteVarUInt((ulong)x.Jobs.Length);
                foreach (var job in x.Jobs)
                {
                    w.WriteKey(job.Id);
                    w.WriteByte((byte)job.Next);
                    w.WriteInt64(job.RunAt);
                    WriteFailure(w, job.Failure);
                    if (x.WithResults)
                    {
                        WriteNullableBytes(w, job.Result);
                    }
                }

                break;
            case JobProgressed x:
                w.WriteKey(x.Id);
                w.WriteInt64(x.At);
                w.WriteByte((byte)x.Percent);
                w.WriteNullableString(x.Message);
                break;
            case LeaseExtended x:
                w.WriteKey(x.Id);
                w.WriteInt64(x.ExpiresAt);
                break;
            case JobCancelled x:
                w.WriteKey(x.Id);
                w.WriteInt64(x.At);
                break;
            case JobRetried x:
                w.WriteKey(x.Id);
                w.WriteInt64(x.At);
                break;
            case JobsPromoted x:
                w.WriteInt64(x.At);
                w.WriteKeys(x.Ids);
                break;
            case JobsPruned x:
                w.WriteKeys(x.Ids);
                break;
            case QueuePaused x:
                w.WriteString(x.Name);
                break;
            case QueueResumed x:
                w.WriteString(x.Name);
                break;
            case QueuePurged x:
                w.WriteString(x.Name);
                w.WriteKeys(x.Ids);
                break;
            case JobsKilled x:
                w.WriteInt64(x.At);
                w.WriteKeys(x.Ids);
                break;
            case JobsDiscarded x:
                w.WriteKeys(x.Ids);
                break;
            case JobsRequeued x:
                w.WriteInt64(x.At);
                w.WriteKeys(x.Ids);
                break;
            case StoreFlushed x:
                w.WriteInt64(x.At);
                break;
            case QueueRemoved x:
                w.WriteString(x.Name);
                break;
            case LeasesReleased x:
                w.WriteInt64(x.At);
                w.WriteKeys(x.Ids);
                break;
            case CronSaved x:
                CronCodec.Write(w, x.Schedule);
                w.WriteInt64(x.At);
                break;
            case CronDeleted x:
                w.WriteString(x.Name);
                break;
            case CronFired x:
                w.WriteString(x.Name);
                w.WriteInt64(x.Tick);
                w.WriteInt64(x.At);
                break;
            case LeaseTokensSkipped x:
                w.WriteVarUInt((ulong)x.Floor);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown event");
        }
    }

    public static StoreEvent Decode(byte type, ReadOnlySpan<byte> payload)
    {
        var r = new PayloadReader(payload);
        StoreEvent e = (RecordType)type switch
        {
            RecordType.JobsEnqueued => new JobsEnqueued(r.ReadInt64(), ReadArray(ref r, ReadNewJob)),
            RecordType.JobsEnqueuedWithFlags => new JobsEnqueued(r.ReadInt64(), ReadArray(ref r, ReadNewJobWithFlags)),
            RecordType.JobsEnqueuedWithOptions => new JobsEnqueued(r.ReadInt64(), ReadArray(ref r, ReadNewJobWithOptions)),
            RecordType.JobsLeased => new JobsLeased(r.ReadInt64(), r.ReadNullableString(), ReadArray(ref r, ReadLease)),
            RecordType.JobsSettled => new JobsSettled(r.ReadInt64(), ReadArray(ref r, ReadSettled)),
            RecordType.JobsSettledWithResults => new JobsSettled(r.ReadInt64(), ReadArray(ref r, ReadSettledWithResult)) { WithResults = true },
            RecordType.JobProgressed => new JobProgressed(r.ReadKey(), r.ReadInt64(), ReadPercent(ref r), r.ReadNullableString()),
            RecordType.LeaseExtended => new LeaseExtended(r.ReadKey(), r.ReadInt64()),
            RecordType.JobCancelled => new JobCancelled(r.ReadKey(), r.ReadInt64()),
            RecordType.JobRetried => new JobRetried(r.ReadKey(), r.ReadInt64()),
            RecordType.JobsPromoted => new JobsPromoted(r.ReadInt64(), ReadArray(ref r, ReadKey)),
            RecordType.JobsPruned => new JobsPruned(ReadArray(ref r, ReadKey)),
            RecordType.QueuePaused => new QueuePaused(r.ReadString()),
            RecordType.QueueResumed => new QueueResumed(r.ReadString()),
            RecordType.QueuePurged => new QueuePurged(r.ReadString(), ReadArray(ref r, ReadKey)),
            RecordType.JobsKilled => new JobsKilled(r.ReadInt64(), ReadArray(ref r, ReadKey)),
            RecordType.JobsDiscarded => new JobsDiscarded(ReadArray(ref r, ReadKey)),
            RecordType.JobsRequeued => new JobsRequeued(r.ReadInt64(), ReadArray(ref r, ReadKey)),
            RecordType.StoreFlushed => new StoreFlushed(r.ReadInt64()),
            RecordType.QueueRemoved => new QueueRemoved(r.ReadString()),
            RecordType.LeasesReleased => new LeasesReleased(r.ReadInt64(), ReadArray(ref r, ReadKey)),
            RecordType.CronSaved => new CronSaved(CronCodec.Read(ref r), r.ReadInt64()),
            RecordType.CronDeleted => new CronDeleted(r.ReadString()),
            RecordType.CronFired => new CronFired(r.ReadString(), r.ReadInt64(), r.ReadInt64()),
            RecordType.LeaseTokensSkipped => new LeaseTokensSkipped((long)r.ReadVarUInt()),
            _ => throw new InvalidDataException($"unknown record type {type}"),
        };
        if (!r.End)
        {
            throw new InvalidDataException($"record type {type} has trailing bytes");
        }

        return e;
    }

    private delegate T ItemReader<out T>(ref PayloadReader reader);

    private static JobKey ReadKey(ref PayloadReader r) => r.ReadKey();

    private static T[] ReadArray<T>(ref PayloadReader r, ItemReader<T> read)
    {
        var count = r.ReadCount();
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = read(ref r);
        }

        return items;
    }

    private static void WriteNewJobs<T>(PayloadWriter w, T[] jobs, RecordType type, Func<PayloadWriter, T, NewJobTail> write)
    {
        w.WriteVarUInt((ulong)jobs.Length);
        foreach (var job in jobs)
        {
            var tail = write(w, job);
            if (type != RecordType.JobsEnqueued)
            {
                w.WriteByte(JobFlagsOf(tail.DiscardWhenDead));
            }

            if (type == RecordType.JobsEnqueuedWithOptions)
            {
                w.WriteByte((byte)tail.UniqueMode);
                w.WriteVarUInt((ulong)tail.TimeoutSeconds);
            }
        }
    }

    /// <summary>What follows a job's type-1 fields in records 15 and 19.</summary>
    private readonly record struct NewJobTail(bool DiscardWhenDead, UniqueMode UniqueMode, int TimeoutSeconds);

    /// <summary>One job of a <see cref="JobsEnqueued"/> record; returns what the record type may add after it.</summary>
    private static NewJobTail WriteNewJob(
        PayloadWriter w, JobKey id, string queue, string type, byte[] args, int priority, int maxAttempts, int leaseSeconds, long runAt,
        string? uniqueKey, long uniqueUntil, string[] tags, KeyValuePair<string, string>[] meta, Backoff backoff, bool discardWhenDead,
        UniqueMode uniqueMode, int timeoutSeconds)
    {
        w.WriteKey(id);
        w.WriteString(queue);
        w.WriteString(type);
        w.WriteBytes(args);
        w.WriteByte((byte)priority);
        w.WriteVarUInt((ulong)maxAttempts);
        w.WriteVarUInt((ulong)leaseSeconds);
        w.WriteInt64(runAt);
        w.WriteNullableString(uniqueKey);
        w.WriteInt64(uniqueUntil);
        w.WriteStrings(tags);
        WriteMeta(w, meta);
        WriteBackoff(w, backoff);
        return new NewJobTail(discardWhenDead, uniqueMode, timeoutSeconds);
    }

    private static NewJob ReadNewJob(ref PayloadReader r) => new(
        Id: r.ReadKey(),
        Queue: r.ReadString(),
        Type: r.ReadString(),
        Args: r.ReadArgs(),
        Priority: ReadPriority(ref r),
        MaxAttempts: r.ReadInt(JobDefaults.MaxAttemptsLimit),
        LeaseSeconds: r.ReadInt(JobDefaults.MaxLeaseSeconds),
        RunAt: r.ReadInt64(),
        UniqueKey: r.ReadNullableString(),
        UniqueUntil: r.ReadInt64(),
        Tags: r.ReadStrings(),
        Meta: ReadMeta(ref r),
        Backoff: ReadBackoff(ref r));

    private static NewJob ReadNewJobWithFlags(ref PayloadReader r)
    {
        var job = ReadNewJob(ref r);
        return ReadJobFlags(ref r) ? job with { DiscardWhenDead = true } : job;
    }

    private static NewJob ReadNewJobWithOptions(ref PayloadReader r) =>
        ReadNewJobWithFlags(ref r) with { UniqueMode = ReadUniqueMode(ref r), TimeoutSeconds = r.ReadInt(JobDefaults.MaxLeaseSeconds) };

    /// <summary>The unique mode byte (type 19, snapshot body v5); an unknown mode is corruption.</summary>
    public static UniqueMode ReadUniqueMode(ref PayloadReader r)
    {
        var mode = r.ReadByte();
        return Enum.IsDefined((UniqueMode)mode) ? (UniqueMode)mode : throw new InvalidDataException($"unknown unique mode {mode}");
    }

    /// <summary>The per-job flags byte (type 15, snapshot body v2): bit 0 = discard when dead.</summary>
    public static byte JobFlagsOf(bool discardWhenDead) => discardWhenDead ? DiscardWhenDeadFlag : (byte)0;

    /// <summary>Reads the per-job flags byte; unknown bits are corruption, so a newer flag is never silently dropped.</summary>
    public static bool ReadJobFlags(ref PayloadReader r)
    {
        var flags = r.ReadByte();
        return (flags & ~DiscardWhenDeadFlag) == 0
            ? (flags & DiscardWhenDeadFlag) != 0
            : throw new InvalidDataException($"unknown job flags {flags}");
    }

    private static LeaseGrant ReadLease(ref PayloadReader r) => new(r.ReadKey(), (long)r.ReadVarUInt(), r.ReadInt64());

    private static SettledJob ReadSettled(ref PayloadReader r) =>
        new(r.ReadKey(), ReadState(ref r), r.ReadInt64(), ReadFailure(ref r));

    private static SettledJob ReadSettledWithResult(ref PayloadReader r) =>
        ReadSettled(ref r) with { Result = ReadNullableBytes(ref r) };

    public static int ReadPercent(ref PayloadReader r)
    {
        var p = r.ReadByte();
        return p <= JobProgress.MaxPercent ? p : throw new InvalidDataException($"progress percent {p} out of range");
    }

    /// <summary>A presence byte (0 none, 1 some) and, when present, the bytes (a job's result).</summary>
    public static void WriteNullableBytes(PayloadWriter w, byte[]? bytes)
    {
        if (bytes is null)
        {
            w.WriteByte(0);
            return;
        }

        w.WriteByte(1);
        w.WriteBytes(bytes);
    }

    public static byte[]? ReadNullableBytes(ref PayloadReader r) => r.ReadByte() switch
    {
        0 => null,
        1 => r.ReadArgs(),
        var other => throw new InvalidDataException($"bad presence byte {other}"),
    };

    public static int ReadPriority(ref PayloadReader r)
    {
        var p = r.ReadByte();
        return p is >= JobDefaults.MinPriority and <= JobDefaults.MaxPriority
            ? p
            : throw new InvalidDataException($"priority {p} out of range");
    }

    public static JobState ReadState(ref PayloadReader r)
    {
        var s = r.ReadByte();
        return Enum.IsDefined((JobState)s) ? (JobState)s : throw new InvalidDataException($"unknown job state {s}");
    }

    public static void WriteMeta(PayloadWriter w, KeyValuePair<string, string>[] meta)
    {
        w.WriteVarUInt((ulong)meta.Length);
        foreach (var (key, value) in meta)
        {
            w.WriteString(key);
            w.WriteString(value);
        }
    }

    public static KeyValuePair<string, string>[] ReadMeta(ref PayloadReader r)
    {
        var count = r.ReadCount();
        var meta = count == 0 ? [] : new KeyValuePair<string, string>[count];
        for (var i = 0; i < count; i++)
        {
            meta[i] = new(r.ReadString(), r.ReadString());
        }

        return meta;
    }

    public static void WriteBackoff(PayloadWriter w, Backoff backoff)
    {
        w.WriteByte((byte)backoff.Kind);
        w.WriteVarUInt((ulong)backoff.FixedSeconds);
    }

    public static Backoff ReadBackoff(ref PayloadReader r)
    {
        var kind = r.ReadByte();
        var seconds = r.ReadInt(Backoff.MaxFixedSeconds);
        return kind switch
        {
            (byte)BackoffKind.Exponential => Backoff.Exponential,
            (byte)BackoffKind.Fixed => Backoff.Fixed(seconds),
            _ => throw new InvalidDataException($"unknown back-off kind {kind}"),
        };
    }

    public static void WriteFailure(PayloadWriter w, JobFailure? failure)
    {
        if (failure is null)
        {
            w.WriteByte(0);
            return;
        }

        w.WriteByte(1);
        w.WriteVarUInt((ulong)failure.Attempt);
        w.WriteInt64(failure.At.UtcTicks);
        w.WriteString(failure.ErrorType);
        w.WriteString(failure.Message);
        w.WriteStrings(failure.Backtrace);
    }

    public static JobFailure? ReadFailure(ref PayloadReader r) => r.ReadByte() switch
    {
        0 => null,
        1 => new JobFailure(r.ReadInt(int.MaxValue), Ticks.ToTime(r.ReadInt64()), r.ReadString(), r.ReadString(), r.ReadStrings()),
        var other => throw new InvalidDataException($"bad presence byte {other}"),
    };
}
