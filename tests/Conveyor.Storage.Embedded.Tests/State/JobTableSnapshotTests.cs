using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.State;
using Conveyor.Storage.Embedded.Tests.Snapshots;
using Xunit;
using static Conveyor.Storage.Embedded.Tests.State.TableJobs;

namespace Conveyor.Storage.Embedded.Tests.State;

/// <summary>The snapshot body's versions (docs/storage-format.md, "Snapshot body"): 2 is written, 1 still loads.</summary>
public sealed class JobTableSnapshotTests
{
    [Fact]
    public void WriteSnapshot_FlaggedAndPlainJobs_Version3KeepsEachFlag()
    {
        var table = new JobTable();
        table.Apply(new JobsEnqueued(At, [Job("discard", discardWhenDead: true), Job("keep", discardWhenDead: false)]));
        using var body = new PendingBuffer();

        table.WriteSnapshot(body);
        var loaded = JobTable.ReadSnapshot(body.WrittenSpan);

        Assert.Equal(3, body.WrittenSpan[0]);
        Assert.True(loaded.Find("discard")!.DiscardWhenDead);
        Assert.False(loaded.Find("keep")!.DiscardWhenDead);
    }

    [Fact]
    public void ReadSnapshot_Version1Body_LoadsWithoutFlags()
    {
        using var body = new PendingBuffer();
        var w = new PayloadWriter(body);
        w.WriteByte(1); // version 1: no flags byte after backoff
        foreach (var header in new ulong[] { 1, 1, 0, 0, 0 })
        {
            w.WriteVarUInt(header); // last_seq, last_ready_seq, last_lease_token, processed, failed
        }

        w.WriteVarUInt(1);
        w.WriteString("q");
        w.WriteByte(0);
        w.WriteVarUInt(1);
        w.WriteString("j");
        w.WriteVarUInt(1);
        w.WriteString("q");
        w.WriteString("t");
        w.WriteBytes("[]"u8);
        w.WriteByte(5);
        w.WriteVarUInt(25);
        w.WriteVarUInt(10);
        w.WriteInt64(At);
        EventCodec.WriteBackoff(w, Backoff.Exponential);
        w.WriteNullableString(null);
        w.WriteInt64(0);
        w.WriteStrings([]);
        EventCodec.WriteMeta(w, []);
        w.WriteByte((byte)JobState.Available);
        w.WriteVarUInt(0); // attempt
        w.WriteVarUInt(1); // ready_seq
        w.WriteInt64(0); // run_at
        w.WriteInt64(0); // finished_at
        w.WriteVarUInt(0); // lease_token
        w.WriteNullableString(null);
        w.WriteInt64(0); // lease_expires_at
        w.WriteVarUInt(0); // failures

        var loaded = JobTable.ReadSnapshot(body.WrittenSpan);

        var job = loaded.Find("j");
        Assert.NotNull(job);
        Assert.False(job.DiscardWhenDead);
        Assert.Equal(JobState.Available, job.State);
        Assert.Equal(25, job.MaxAttempts);
    }

    [Fact]
    public void ReadSnapshot_UnknownVersion_Refused()
    {
        Assert.Throws<InvalidDataException>(() => JobTable.ReadSnapshot([3]));
    }
}
