using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.State;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Events;

/// <summary>
/// Golden bytes for every record type: the WAL format is persisted, so any change to these bytes is a
/// format change that needs a new record type or version (docs/storage-format.md, "Record types").
/// </summary>
public sealed class EventCodecGoldenTests
{
    private const long At = 638_000_000_000_000_000;

    /// <summary>A server-assigned id: written as its 16-byte value (format version 3), the other ids as strings.</summary>
    private const string Ulid = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

    public static TheoryData<string, string> Golden => new()
    {
        { nameof(JobsEnqueued), "0000B3A69EA1DA0801016A017108747970652E6A6F62025B5D09190A00000000000000000103756E694042C2A69EA1DA08020161016201016B01760000" },
        { nameof(JobsLeased), "0000B3A69EA1DA08010177020001563E3AB5D3D6764C61EFB99302BD5B07003495D7A2A1DA08016208003495D7A2A1DA08" },
        { nameof(JobsSettled), "0000B3A69EA1DA0802016105000000000000000000016204005C6593C1A1DA0801010000B3A69EA1DA0804426F6F6D026E6F0201610162" },
        { nameof(LeaseExtended), "01610000B3A69EA1DA08" },
        { nameof(JobCancelled), "01610000B3A69EA1DA08" },
        { nameof(JobRetried), "01610000B3A69EA1DA08" },
        { nameof(JobsPromoted), "0000B3A69EA1DA080201610162" },
        { nameof(JobsPruned), "020001563E3AB5D3D6764C61EFB99302BD5B0162" },
        { nameof(QueuePaused), "0171" },
        { nameof(QueueResumed), "0171" },
        { nameof(QueuePurged), "01710201610162" },
        { nameof(JobsKilled), "0000B3A69EA1DA080201610162" },
        { nameof(JobsDiscarded), "0201610162" },
        { nameof(JobsRequeued), "0000B3A69EA1DA080201610162" },
        { nameof(StoreFlushed), "0000B3A69EA1DA08" },
        { nameof(QueueRemoved), "0171" },
        { nameof(LeasesReleased), "0000B3A69EA1DA080201610162" },
        { nameof(JobProgressed), "0001563E3AB5D3D6764C61EFB99302BD5B0000B3A69EA1DA082A010868616C6620776179" },
        { nameof(RecordType.JobsSettledWithResults), "0000B3A69EA1DA080201610500000000000000000001077B226E223A317D016206000000000000000001010000B3A69EA1DA0804426F6F6D026E6F0000" },
        { nameof(CronSaved), "0173092A202A202A202A202A03555443000101710174025B5D05190A00000000000000B3A69EA1DA08" },
        { nameof(CronDeleted), "0173" },
        { nameof(CronFired), "01730000B3A69EA1DA080100B3A69EA1DA08" },
        { nameof(LeaseTokensSkipped), "8780808010" },
        { nameof(RecordType.JobsEnqueuedWithFlags), "0000B3A69EA1DA0802016A017108747970652E6A6F62025B5D09190A00000000000000000103756E694042C2A69EA1DA08020161016201016B0176000001016B01710174025B5D05010A00000000000000000000000000000000000000010300" },
        { nameof(RecordType.JobsEnqueuedWithOptions), "0000B3A69EA1DA0802016A017108747970652E6A6F62025B5D09190A00000000000000000103756E694042C2A69EA1DA08020161016201016B0176000001021E016B01710174025B5D05010A000000000000000000000000000000000000000103000000" },
    };

    private static StoreEvent Sample(string name) => name switch
    {
        nameof(JobsEnqueued) => new JobsEnqueued(At, [new NewJob("j", "q", "type.job", "[]"u8.ToArray(), 9, 25, 10, 0, "uni", At + 1_000_000, ["a", "b"], [new("k", "v")], Backoff.Exponential)]),
        nameof(JobsLeased) => new JobsLeased(At, "w", [new LeaseGrant(Ulid, 7, At + 18_000_000_000), new LeaseGrant("b", 8, At + 18_000_000_000)]),
        nameof(JobsSettled) => new JobsSettled(At, [
            new SettledJob("a", JobState.Completed, 0, null),
            new SettledJob("b", JobState.Retrying, At + 150_000_000_000, new JobFailure(1, new DateTimeOffset(At, TimeSpan.Zero), "Boom", "no", ["a", "b"]))]),
        nameof(LeaseExtended) => new LeaseExtended("a", At),
        nameof(JobCancelled) => new JobCancelled("a", At),
        nameof(JobRetried) => new JobRetried("a", At),
        nameof(JobsPromoted) => new JobsPromoted(At, ["a", "b"]),
        nameof(JobsPruned) => new JobsPruned([Ulid, "b"]),
        nameof(QueuePaused) => new QueuePaused("q"),
        nameof(QueueResumed) => new QueueResumed("q"),
        nameof(QueuePurged) => new QueuePurged("q", ["a", "b"]),
        nameof(JobsKilled) => new JobsKilled(At, ["a", "b"]),
        nameof(JobsDiscarded) => new JobsDiscarded(["a", "b"]),
        nameof(JobsRequeued) => new JobsRequeued(At, ["a", "b"]),
        nameof(StoreFlushed) => new StoreFlushed(At),
        nameof(QueueRemoved) => new QueueRemoved("q"),
        nameof(LeasesReleased) => new LeasesReleased(At, ["a", "b"]),
        nameof(JobProgressed) => new JobProgressed(Ulid, At, 42, "half way"),
        nameof(RecordType.JobsSettledWithResults) => SettledWithResults(),
        nameof(CronSaved) => new CronSaved(
            new CronSchedule { Name = "s", Expression = "* * * * *", Paused = true, Job = new JobSpec { Queue = "q", Type = "t", LeaseSeconds = 10 } }, At),
        nameof(CronDeleted) => new CronDeleted("s"),
        nameof(CronFired) => new CronFired("s", At, At + 1),
        nameof(LeaseTokensSkipped) => new LeaseTokensSkipped((1L << 32) + 7),
        nameof(RecordType.JobsEnqueuedWithFlags) => new JobsEnqueued(At, [
            new NewJob("j", "q", "type.job", "[]"u8.ToArray(), 9, 25, 10, 0, "uni", At + 1_000_000, ["a", "b"], [new("k", "v")], Backoff.Exponential, DiscardWhenDead: true),
            new NewJob("k", "q", "t", "[]"u8.ToArray(), 5, 1, 10, 0, null, 0, [], [], Backoff.Fixed(3))]),
        nameof(RecordType.JobsEnqueuedWithOptions) => new JobsEnqueued(At, [
            new NewJob("j", "q", "type.job", "[]"u8.ToArray(), 9, 25, 10, 0, "uni", At + 1_000_000, ["a", "b"], [new("k", "v")], Backoff.Exponential, DiscardWhenDead: true,
                UniqueMode: UniqueMode.UntilCompleted, TimeoutSeconds: 30),
            new NewJob("k", "q", "t", "[]"u8.ToArray(), 5, 1, 10, 0, null, 0, [], [], Backoff.Fixed(3))]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static JobsSettled SettledWithResults()
    {
        SettledJob[] jobs =
        [
            new SettledJob("a", JobState.Completed, 0, null) { Result = "{\"n\":1}"u8.ToArray() },
            new SettledJob("b", JobState.Dead, 0, new JobFailure(1, new DateTimeOffset(At, TimeSpan.Zero), "Boom", "no", [])),
        ];
        return new JobsSettled(At, jobs) { WithResults = true };
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Encode_EachRecordType_MatchesGoldenBytes(string name, string hex)
    {
        using var output = new PendingBuffer();

        EventCodec.Encode(Sample(name), output);

        Assert.Equal(hex, Convert.ToHexString(output.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Decode_GoldenBytes_ReencodesIdentically(string name, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var decoded = EventCodec.Decode((byte)Sample(name).Type, bytes);
        using var output = new PendingBuffer();

        EventCodec.Encode(decoded, output);

        Assert.Equal(Sample(name).GetType(), decoded.GetType());
        Assert.Equal(hex, Convert.ToHexString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(nameof(JobsEnqueued))]
    [InlineData(nameof(RecordType.JobsEnqueuedWithFlags))]
    [InlineData(nameof(RecordType.JobsEnqueuedWithOptions))]
    public void Encode_EnqueueMadeOfEntries_SameBytesAsOfJobs(string name)
    {
        // The enqueue command's form: entries made by the table, applied, then encoded (as Emit does).
        var jobs = (JobsEnqueued)Sample(name);
        var table = new JobTable();
        var live = JobsEnqueued.Live(jobs.At, [.. jobs.Jobs.Select(j => table.NewEntry(
            j.Id, j.Queue, j.Type, j.Args, j.Priority, j.MaxAttempts, j.LeaseSeconds, j.RunAt, j.UniqueKey, j.UniqueUntil, j.Tags, j.Meta, j.Backoff, j.DiscardWhenDead, jobs.At,
            j.UniqueMode, j.TimeoutSeconds))]);
        table.Apply(live);
        using var output = new PendingBuffer();

        EventCodec.Encode(live, output);

        Assert.Equal(jobs.Type, live.Type);
        Assert.Equal(Golden.Single(row => row.Data.Item1 == name).Data.Item2, Convert.ToHexString(output.WrittenSpan));
        Assert.Equal(jobs.Jobs.Length, table.JobCount);
        Assert.All(jobs.Jobs, j => Assert.Equal(jobs.At, table.Find(j.Id)!.CreatedAt));
    }

    [Fact]
    public void Type_EnqueueWithoutFlags_StaysType1()
    {
        var plain = (JobsEnqueued)Sample(nameof(JobsEnqueued));

        Assert.Equal(RecordType.JobsEnqueued, plain.Type);
        Assert.Equal(RecordType.JobsEnqueuedWithFlags, (plain with { Jobs = [plain.Jobs[0] with { DiscardWhenDead = true }] }).Type);
    }

    [Fact]
    public void Type_EnqueueWithModeOrTimeout_Type19()
    {
        var plain = (JobsEnqueued)Sample(nameof(JobsEnqueued));

        Assert.Equal(RecordType.JobsEnqueuedWithOptions, (plain with { Jobs = [plain.Jobs[0] with { UniqueMode = UniqueMode.UntilStarted }] }).Type);
        Assert.Equal(RecordType.JobsEnqueuedWithOptions, (plain with { Jobs = [plain.Jobs[0] with { TimeoutSeconds = 1 }] }).Type);
    }

    [Fact]
    public void Decode_Type19_CarriesModeAndTimeout()
    {
        var hex = Golden.Single(row => row.Data.Item1 == nameof(RecordType.JobsEnqueuedWithOptions)).Data.Item2;

        var decoded = (JobsEnqueued)EventCodec.Decode((byte)RecordType.JobsEnqueuedWithOptions, Convert.FromHexString(hex));

        Assert.Equal(
            [(true, UniqueMode.UntilCompleted, 30), (false, UniqueMode.UntilFinished, 0)],
            decoded.Jobs.Select(j => (j.DiscardWhenDead, j.UniqueMode, j.TimeoutSeconds)));
    }

    [Fact]
    public void Decode_Type19UnknownMode_RefusedAsCorrupt()
    {
        var hex = Golden.Single(row => row.Data.Item1 == nameof(RecordType.JobsEnqueuedWithOptions)).Data.Item2;
        var bytes = Convert.FromHexString(hex.Replace("016B0176000001021E", "016B0176000001091E", StringComparison.Ordinal));

        Assert.Throws<InvalidDataException>(() => EventCodec.Decode((byte)RecordType.JobsEnqueuedWithOptions, bytes));
    }

    [Fact]
    public void Decode_Type15_CarriesEachJobsFlag()
    {
        var hex = Golden.Single(row => row.Data.Item1 == nameof(RecordType.JobsEnqueuedWithFlags)).Data.Item2;

        var decoded = (JobsEnqueued)EventCodec.Decode((byte)RecordType.JobsEnqueuedWithFlags, Convert.FromHexString(hex));

        Assert.Equal([true, false], decoded.Jobs.Select(j => j.DiscardWhenDead));
    }

    [Theory]
    [InlineData("02")]
    [InlineData("FF")]
    public void Decode_Type15UnknownFlagBits_RefusedAsCorrupt(string flags)
    {
        var hex = Golden.Single(row => row.Data.Item1 == nameof(RecordType.JobsEnqueuedWithFlags)).Data.Item2;
        var bytes = Convert.FromHexString(hex[..^2] + flags);

        Assert.Throws<InvalidDataException>(() => EventCodec.Decode((byte)RecordType.JobsEnqueuedWithFlags, bytes));
    }

    [Fact]
    public void RecordTypes_AreNumberedAsDocumented()
    {
        // 20 and 27-28 are not used.
        Assert.Equal([.. Enumerable.Range(1, 19).Select(i => (byte)i), 21, 22, 23, 24, 25, 26], Enum.GetValues<RecordType>().Select(t => (byte)t));
    }

    [Fact]
    public void Type_SettleWithoutResults_StaysType3()
    {
        var plain = (JobsSettled)Sample(nameof(JobsSettled));

        Assert.Equal(RecordType.JobsSettled, plain.Type);
        Assert.Equal(RecordType.JobsSettledWithResults, (plain with { WithResults = true }).Type);
    }

    [Fact]
    public void Decode_Type22_CarriesEachResult()
    {
        var hex = Golden.Single(row => row.Data.Item1 == nameof(RecordType.JobsSettledWithResults)).Data.Item2;

        var decoded = (JobsSettled)EventCodec.Decode((byte)RecordType.JobsSettledWithResults, Convert.FromHexString(hex));

        Assert.True(decoded.WithResults);
        Assert.Equal("{\"n\":1}"u8.ToArray(), decoded.Jobs[0].Result);
        Assert.Null(decoded.Jobs[1].Result);
    }

    [Fact]
    public void Decode_Type21PercentOver100_RefusedAsCorrupt()
    {
        var hex = Golden.Single(row => row.Data.Item1 == nameof(JobProgressed)).Data.Item2;
        var bytes = Convert.FromHexString(hex);
        bytes[1 + 16 + 8] = 101; // after the key (tag + 16-byte ULID) and the time

        Assert.Throws<InvalidDataException>(() => EventCodec.Decode((byte)RecordType.JobProgressed, bytes));
    }
}
