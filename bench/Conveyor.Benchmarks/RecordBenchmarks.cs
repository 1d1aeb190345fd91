using BenchmarkDotNet.Attributes;
using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;

namespace Conveyor.Benchmarks;

/// <summary>
/// The WAL records a drain writes and recovery reads, per 100 jobs: a fetch's lease record and a settle's record,
/// encoded (what the writer loop does before each group commit) and decoded (what replay does), with server-assigned
/// ids as the store holds them.
/// </summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private const int Count = 100;
    private const long At = 638_000_000_000_000_000;

    private readonly PendingBuffer output = new();
    private JobsLeased leased = null!;
    private JobsSettled settled = null!;
    private byte[] leasedBytes = [];
    private byte[] settledBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        var now = new DateTimeOffset(At, TimeSpan.Zero);
        var keys = Enumerable.Range(0, Count).Select(i => JobKey.FromValue(JobIdGenerator.NewValue(now.AddTicks(i)))).ToArray();
        leased = new JobsLeased(At, "worker-1", [.. keys.Select((k, i) => new LeaseGrant(k, 1_000 + i, At + 18_000_000_000))]);
        settled = new JobsSettled(At, [.. keys.Select(k => new SettledJob(k, JobState.Completed, 0, null))]);
        leasedBytes = Encoded(leased);
        settledBytes = Encoded(settled);
    }

    [GlobalCleanup]
    public void Cleanup() => output.Dispose();

    [Benchmark]
    public int Lease_Encode() => Encode(leased);

    [Benchmark]
    public int Settle_Encode() => Encode(settled);

    [Benchmark]
    public object Lease_Decode() => EventCodec.Decode((byte)RecordType.JobsLeased, leasedBytes);

    [Benchmark]
    public object Settle_Decode() => EventCodec.Decode((byte)RecordType.JobsSettled, settledBytes);

    private int Encode(StoreEvent e)
    {
        output.Truncate(0);
        EventCodec.Encode(e, output);
        return output.WrittenCount;
    }

    private byte[] Encoded(StoreEvent e)
    {
        Encode(e);
        return output.WrittenSpan.ToArray();
    }
}
