using BenchmarkDotNet.Attributes;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conveyor.Benchmarks;

/// <summary>
/// The write-ahead log on its own, on the store's own file device in a temp directory (preallocated segments, written
/// around the page cache as the server writes them): one group commit of <see cref="RecordsPerCommit"/> records —
/// each a one-job enqueue record, as concurrent single enqueues leave them — framed into the pending batch, then one
/// <see cref="WriteAheadLog.Flush"/> (one write with its flush marker and, with <see cref="Sync"/>, one fsync).
/// Reported per commit; divided by <see cref="RecordsPerCommit"/>, what each caller of a group commit pays.
/// </summary>
[MemoryDiagnoser]
public class WalBenchmarks
{
    private const long At = 638_000_000_000_000_000;

    private string directory = "";
    private WriteAheadLog log = null!;
    private byte[] record = [];
    private long segment;

    [Params(1, 100, 1000)]
    public int RecordsPerCommit { get; set; }

    [Params(false, true)]
    public bool Sync { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        directory = Path.Combine(Path.GetTempPath(), "conveyor-bdn-wal-" + Guid.NewGuid().ToString("N"));
        log = WriteAheadLog.Open(new FileStorageDevice(directory), new WalOptions(), NullLogger.Instance, fromSegment: 1, replay: static (_, _) => { });
        var job = new NewJob(
            JobKey.FromValue(JobIdGenerator.NewValue(new DateTimeOffset(At, TimeSpan.Zero))),
            "bench", "bench.noop", "[]"u8.ToArray(), Priority: 0, MaxAttempts: 25, LeaseSeconds: 1800, RunAt: 0,
            UniqueKey: null, UniqueUntil: 0, Tags: [], Meta: [], new Backoff(BackoffKind.Exponential, 0));
        using var output = new PendingBuffer();
        EventCodec.Encode(new JobsEnqueued(At, [job]), output);
        record = output.WrittenSpan.ToArray();
        segment = log.CurrentSegment;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        log.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Benchmark]
    public long GroupCommit()
    {
        for (var i = 0; i < RecordsPerCommit; i++)
        {
            log.Append((byte)RecordType.JobsEnqueued, record);
        }

        log.Flush(Sync);
        if (log.CurrentSegment != segment)
        {
            // The flush rolled to a new 64 MiB segment (preallocated, as in the server): a long run writes gigabytes,
            // so the full ones go, as a snapshot lets the store drop them.
            segment = log.CurrentSegment;
            log.DeleteSegmentsBefore(segment);
        }

        return log.FlushCount;
    }
}
