using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.State;
using Conveyor.Storage.Embedded.Tests.Snapshots;
using Xunit;
using static Conveyor.Storage.Embedded.Tests.State.TableJobs;

namespace Conveyor.Storage.Embedded.Tests.State;

/// <summary>The snapshot body's versions (docs/storage-format.md, "Snapshot body"): 5 is written, 1 to 4 still load.</summary>
public sealed class JobTableSnapshotTests
{
    [Fact]
    public void WriteSnapshot_FlaggedAndPlainJobs_Version7KeepsEachFlag()
    {
        var table = new JobTable();
        table.Apply(new JobsEnqueued(At, [Job("discard", discardWhenDead: true), Job("keep", discardWhenDead: false)]));
        using var body = new PendingBuffer();

        table.WriteSnapshot(body);
        var loaded = SnapshotCodec.Read(body.WrittenSpan);

        Assert.Equal(7, body.WrittenSpan[0]);
        Assert.True(loaded.Find("discard")!.DiscardWhenDead);
        Assert.False(loaded.Find("keep")!.DiscardWhenDead);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ReadSnapshot_OlderVersionBody_Loads(byte version)
    {
        // What earlier releases wrote on shutdown: version 1 without the flags byte, version 2 with it; both with ids
        // as strings, a ULID as its 26-character text.
        var ulid = JobIdGenerator.NewId(DateTimeOffset.UnixEpoch.AddTicks(At));
        using var body = new PendingBuffer();
        var w = new PayloadWriter(body);
        w.WriteByte(version);
        foreach (var header in new ulong[] { 2, 2, 0, 0, 0 })
        {
            w.WriteVarUInt(header); // last_seq, last_ready_seq, last_lease_token, processed, failed
        }

        w.WriteVarUInt(1);
        w.WriteString("q");
        w.WriteByte(0);
        w.WriteVarUInt(2);
        WriteAvailableJob(w, "j", seq: 1, flags: version >= 2 ? (byte)1 : null);
        WriteAvailableJob(w, ulid, seq: 2, flags: version >= 2 ? (byte)0 : null);

        var loaded = SnapshotCodec.Read(body.WrittenSpan);

        var job = loaded.Find("j");
        Assert.NotNull(job);
        Assert.Equal(version >= 2, job.DiscardWhenDead);
        Assert.Equal(JobState.Available, job.State);
        Assert.Equal(25, job.MaxAttempts);
        Assert.Equal(At, job.AvailableAt); // not kept before version 4: the creation time stands in
        var byUlid = loaded.Find(ulid);
        Assert.NotNull(byUlid);
        Assert.True(byUlid.Key.TryGetUlid(out _));
        Assert.False(byUlid.DiscardWhenDead);
    }

    [Fact]
    public void WriteSnapshot_Schedule_LoadsWithItsLastTick()
    {
        var table = new JobTable();
        var schedule = new CronSchedule { Name = "nightly", Expression = "0 3 * * *", TimeZone = "Europe/Berlin", Job = new JobSpec { Type = "t" } };
        table.Apply(new CronSaved(schedule, At));
        table.Apply(new CronFired("nightly", At + 10, At + 20));
        using var body = new PendingBuffer();

        table.WriteSnapshot(body);
        var loaded = SnapshotCodec.Read(body.WrittenSpan).Cron.Find("nightly");

        Assert.NotNull(loaded);
        Assert.Equal(At + 10, loaded.LastTick);
        Assert.Equal(At, loaded.CreatedAt);
        Assert.Equal("Europe/Berlin", loaded.Schedule.TimeZone);
        Assert.Equal("t", loaded.Schedule.Job.Type);
    }

    [Fact]
    public void WriteSnapshot_ProgressAndResult_Version7KeepsThem()
    {
        var table = new JobTable();
        table.Apply(new JobsEnqueued(At, [Job("done"), Job("running"), Job("plain")]));
        table.Apply(new JobsLeased(At, "w", [new LeaseGrant("done", 1, At + 100), new LeaseGrant("running", 2, At + 100)]));
        table.Apply(new JobProgressed("running", At + 10, 40, "four tenths"));
        table.Apply(new JobProgressed("done", At + 10, 90, null));
        table.Apply(new JobsSettled(At + 20, [new SettledJob("done", JobState.Completed, 0, null) { Result = "[1,2]"u8.ToArray() }]) { WithResults = true });
        using var body = new PendingBuffer();

        table.WriteSnapshot(body);
        var loaded = SnapshotCodec.Read(body.WrittenSpan);

        Assert.Equal(new JobProgress(40, "four tenths", new DateTimeOffset(At + 10, TimeSpan.Zero)), loaded.Find("running")!.Progress);
        Assert.Equal(new JobProgress(90, null, new DateTimeOffset(At + 10, TimeSpan.Zero)), loaded.Find("done")!.Progress);
        Assert.Equal("[1,2]"u8.ToArray(), loaded.Find("done")!.Result);
        Assert.Null(loaded.Find("plain")!.Progress);
        Assert.Null(loaded.Find("plain")!.Result);
        Assert.Equal(table.HeldBytes, loaded.HeldBytes);
    }

    [Fact]
    public void ReadSnapshot_NewerVersion_RefusedNamingIt()
    {
        var error = Assert.Throws<InvalidDataException>(() => SnapshotCodec.Read([8]));

        Assert.Contains("version 8 is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteSnapshot_UniqueModeTimeoutAndDeadline_Version6KeepsThem()
    {
        var table = new JobTable();
        table.Apply(new JobsEnqueued(At, [
            Job("timed") with { TimeoutSeconds = 30, UniqueKey = "k", UniqueUntil = long.MaxValue, UniqueMode = UniqueMode.UntilStarted },
            Job("plain")]));
        table.Apply(new JobsLeased(At + 10, "w", [new LeaseGrant("timed", 1, At + 100)]));
        using var body = new PendingBuffer();

        table.WriteSnapshot(body);
        var loaded = SnapshotCodec.Read(body.WrittenSpan);

        var timed = loaded.Find("timed")!;
        Assert.Equal((30, UniqueMode.UntilStarted), (timed.TimeoutSeconds, timed.UniqueMode));
        Assert.Equal(At + 10 + TimeSpan.FromSeconds(30 + JobDefaults.TimeoutGraceSeconds).Ticks, timed.AttemptDeadline);
        Assert.Equal((0, UniqueMode.UntilFinished, 0L), (loaded.Find("plain")!.TimeoutSeconds, loaded.Find("plain")!.UniqueMode, loaded.Find("plain")!.AttemptDeadline));
    }

    /// <summary>One available job as snapshot bodies before version 3 wrote it; <paramref name="flags"/> null for version 1.</summary>
    private static void WriteAvailableJob(PayloadWriter w, string id, ulong seq, byte? flags)
    {
        w.WriteString(id);
        w.WriteVarUInt(seq);
        w.WriteString("q");
        w.WriteString("t");
        w.WriteBytes("[]"u8);
        w.WriteByte(5);
        w.WriteVarUInt(25);
        w.WriteVarUInt(10);
        w.WriteInt64(At);
        EventCodec.WriteBackoff(w, Backoff.Exponential);
        if (flags is { } f)
        {
            w.WriteByte(f);
        }

        w.WriteNullableString(null);
        w.WriteInt64(0);
        w.WriteStrings([]);
        EventCodec.WriteMeta(w, []);
        w.WriteByte((byte)JobState.Available);
        w.WriteVarUInt(0); // attempt
        w.WriteVarUInt(seq); // ready_seq
        w.WriteInt64(0); // run_at
        w.WriteInt64(0); // finished_at
        w.WriteVarUInt(0); // lease_token
        w.WriteNullableString(null);
        w.WriteInt64(0); // lease_expires_at
        w.WriteVarUInt(0); // failures
    }

    [Fact]
    public void WriteSnapshot_JobsMadeAvailableAtDifferentTimes_KeepsEachAvailableAt()
    {
        var table = new JobTable();
        table.Apply(new JobsEnqueued(At, [Job("new"), Job("scheduled", runAt: At + 50)]));
        table.Apply(new JobsPromoted(At + 100, ["scheduled"]));
        using var body = new PendingBuffer();

        table.WriteSnapshot(body);
        var loaded = SnapshotCodec.Read(body.WrittenSpan);

        Assert.Equal(At, loaded.Find("new")!.AvailableAt);
        Assert.Equal(At + 100, loaded.Find("scheduled")!.AvailableAt);
        Assert.Equal(At, Assert.Single(loaded.Queues).OldestAvailableAt());
    }
}
