using System.Runtime.CompilerServices;
using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Snapshots;

/// <summary>The snapshot body: the whole state (docs/storage-format.md, "Snapshot body").</summary>
internal static class SnapshotCodec
{
    /// <summary>
    /// Version 7 adds each job's progress and result after its failures; version 6 adds each job's unique mode (a byte
    /// after unique_until), timeout_seconds and attempt deadline (after lease_expires_at); version 5 adds the schedules
    /// (periodic jobs) after the queues; version 4 adds each job's available_at (its queue's latency); version 3 writes ids
    /// that are ULIDs as their 16-byte values (<see cref="PayloadWriter.WriteKey"/>); version 2 added the per-job flags
    /// byte. Versions 1 (flags 0) to 6 still load.
    /// </summary>
    private const byte Version = 7;

    private const byte VersionWithoutResults = 6;

    private const byte VersionWithoutOptions = 5;

    private const byte VersionWithoutSchedules = 4;

    private const byte VersionWithoutAvailableAt = 3;

    private const byte VersionWithoutFlags = 1;

    /// <summary>The body's header: counters, queues and the job count, as they are now.</summary>
    public static void WriteHeader(PayloadWriter w, JobTable table)
    {
        w.WriteByte(Version);
        w.WriteVarUInt((ulong)table.LastSeq);
        w.WriteVarUInt((ulong)table.LastReadySeq);
        w.WriteVarUInt((ulong)table.LastLeaseToken);
        w.WriteVarUInt((ulong)table.Processed);
        w.WriteVarUInt((ulong)table.Failed);
        w.WriteVarUInt((ulong)table.Queues.Count);
        foreach (var queue in table.Queues)
        {
            w.WriteString(queue.Name);
            w.WriteByte(queue.Paused ? (byte)1 : (byte)0);
        }

        w.WriteVarUInt((ulong)table.Cron.Count);
        foreach (var entry in table.Cron.All)
        {
            CronCodec.Write(w, entry.Schedule);
            w.WriteInt64(entry.CreatedAt);
            w.WriteInt64(entry.UpdatedAt);
            w.WriteInt64(entry.Since);
            w.WriteInt64(entry.LastTick);
        }

        w.WriteVarUInt((ulong)table.JobCount);
    }

    public static JobTable Read(ReadOnlySpan<byte> body)
    {
        var r = new PayloadReader(body);
        var version = r.ReadByte();
        if (version is < VersionWithoutFlags or > Version)
        {
            throw new InvalidDataException(
                $"snapshot body version {version} is not supported (expected {VersionWithoutFlags}–{Version})");
        }

        var table = new JobTable();
        table.RestoreCounters(
            lastSeq: (long)r.ReadVarUInt(), lastReadySeq: (long)r.ReadVarUInt(), lastLeaseToken: (long)r.ReadVarUInt(),
            processed: (long)r.ReadVarUInt(), failed: (long)r.ReadVarUInt());
        var queueCount = r.ReadCount();
        for (var i = 0; i < queueCount; i++)
        {
            table.GetOrAddQueue(r.ReadString()).Paused = r.ReadByte() == 1;
        }

        var scheduleCount = version > VersionWithoutSchedules ? r.ReadCount() : 0;
        for (var i = 0; i < scheduleCount; i++)
        {
            table.Cron.Restore(new CronEntry
            {
                Schedule = CronCodec.Read(ref r),
                CreatedAt = r.ReadInt64(),
                UpdatedAt = r.ReadInt64(),
                Since = r.ReadInt64(),
                LastTick = r.ReadInt64(),
            });
        }

        var count = r.ReadCount();
        var loaded = new JobEntry[count];
        for (var i = 0; i < count; i++)
        {
            loaded[i] = ReadJob(
                ref r, table, hasFlags: version > VersionWithoutFlags, hasAvailableAt: version > VersionWithoutAvailableAt,
                hasOptions: version > VersionWithoutOptions, hasResults: version > VersionWithoutResults);
            table.Register(loaded[i]);
        }

        if (!r.End)
        {
            throw new InvalidDataException("snapshot body has trailing bytes");
        }

        // Index order matters only for FIFO structures: available lists and retention queues.
        foreach (var job in loaded.OrderBy(j => j.State == JobState.Available ? j.ReadySeq : j.FinishedAt))
        {
            table.Enter(job, job.State);
        }

        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteJob(PayloadWriter w, JobEntry job)
    {
        w.WriteKey(job.Key);
        w.WriteVarUInt((ulong)job.Seq);
        w.WriteString(job.Queue.Name);
        w.WriteString(job.Type);
        w.WriteBytes(job.Args);
        w.WriteByte((byte)job.Priority);
        w.WriteVarUInt((ulong)job.MaxAttempts);
        w.WriteVarUInt((ulong)job.LeaseSeconds);
        w.WriteInt64(job.CreatedAt);
        EventCodec.WriteBackoff(w, job.Backoff);
        w.WriteByte(EventCodec.JobFlagsOf(job.DiscardWhenDead));
        w.WriteNullableString(job.UniqueKey);
        w.WriteInt64(job.UniqueUntil);
        w.WriteByte((byte)job.UniqueMode);
        w.WriteStrings(job.Tags);
        EventCodec.WriteMeta(w, job.Meta);
        w.WriteByte((byte)job.State);
        w.WriteVarUInt((ulong)job.Attempt);
        w.WriteVarUInt((ulong)job.ReadySeq);
        w.WriteInt64(job.RunAt);
        w.WriteInt64(job.FinishedAt);
        w.WriteInt64(job.AvailableAt);
        w.WriteVarUInt((ulong)job.LeaseToken);
        w.WriteNullableString(job.LeaseWorker);
        w.WriteInt64(job.LeaseExpiresAt);
        w.WriteVarUInt((ulong)job.TimeoutSeconds);
        w.WriteInt64(job.AttemptDeadline);
        // Most jobs have no failures: no empty list is made for them.
        w.WriteVarUInt((ulong)(job.Failures?.Count ?? 0));
        if (job.Failures is { } failures)
        {
            foreach (var failure in failures)
            {
                EventCodec.WriteFailure(w, failure);
            }
        }

        WriteProgress(w, job.Progress);
        EventCodec.WriteNullableBytes(w, job.Result);
    }

    /// <summary>A presence byte, then percent (u8), message (nullable string) and when (i64 ticks).</summary>
    private static void WriteProgress(PayloadWriter w, JobProgress? progress)
    {
        if (progress is null)
        {
            w.WriteByte(0);
            return;
        }

        w.WriteByte(1);
        w.WriteByte((byte)progress.Percent);
        w.WriteNullableString(progress.Message);
        w.WriteInt64(progress.UpdatedAt.UtcTicks);
    }

    private static JobProgress? ReadProgress(ref PayloadReader r) => r.ReadByte() switch
    {
        0 => null,
        1 => new JobProgress(EventCodec.ReadPercent(ref r), r.ReadNullableString(), Ticks.ToTime(r.ReadInt64())),
        var other => throw new InvalidDataException($"bad presence byte {other}"),
    };

    private static JobEntry ReadJob(ref PayloadReader r, JobTable table, bool hasFlags, bool hasAvailableAt, bool hasOptions, bool hasResults)
    {
        var job = new JobEntry
        {
            Key = r.ReadKey(),
            Seq = (long)r.ReadVarUInt(),
            Queue = table.QueueOfLoadedJob(r.ReadString()),
            Type = table.ShareType(r.ReadString()),
            Args = r.ReadArgs(),
            Priority = EventCodec.ReadPriority(ref r),
            MaxAttempts = r.ReadInt(JobDefaults.MaxAttemptsLimit),
            LeaseSeconds = r.ReadInt(JobDefaults.MaxLeaseSeconds),
            CreatedAt = r.ReadInt64(),
            Backoff = EventCodec.ReadBackoff(ref r),
            DiscardWhenDead = hasFlags && EventCodec.ReadJobFlags(ref r),
            UniqueKey = r.ReadNullableString(),
            UniqueUntil = r.ReadInt64(),
            UniqueMode = hasOptions ? EventCodec.ReadUniqueMode(ref r) : UniqueMode.UntilFinished,
            Tags = r.ReadStrings(),
            Meta = EventCodec.ReadMeta(ref r),
            State = EventCodec.ReadState(ref r),
            Attempt = r.ReadInt(int.MaxValue),
            ReadySeq = (long)r.ReadVarUInt(),
            RunAt = r.ReadInt64(),
            FinishedAt = r.ReadInt64(),
            AvailableAt = hasAvailableAt ? r.ReadInt64() : 0,
            LeaseToken = (long)r.ReadVarUInt(),
            LeaseWorker = r.ReadNullableString(),
            LeaseExpiresAt = r.ReadInt64(),
            TimeoutSeconds = hasOptions ? r.ReadInt(JobDefaults.MaxLeaseSeconds) : 0,
            AttemptDeadline = hasOptions ? r.ReadInt64() : 0,
        };
        if (!hasAvailableAt && job.State == JobState.Available)
        {
            // Older bodies did not keep it: the job was available at least since it was created.
            job.AvailableAt = job.CreatedAt;
        }

        var failureCount = r.ReadCount(JobFailure.HistoryLimit);
        if (failureCount > 0)
        {
            job.Failures = new List<JobFailure>(failureCount);
            for (var i = 0; i < failureCount; i++)
            {
                job.Failures.Add(EventCodec.ReadFailure(ref r) ?? throw new InvalidDataException("missing failure"));
            }
        }

        if (hasResults)
        {
            job.Progress = ReadProgress(ref r);
            job.Result = EventCodec.ReadNullableBytes(ref r);
        }

        return job;
    }
}
