using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The machine's fsync rate, the ceiling of one producer with one request in flight under <c>sync</c>
/// durability: write 256 bytes (about one small job's WAL record) and fsync, in a loop, on a temp file in the
/// data directory's file system. Two ways: appending (each fsync also commits the file's new size) and writing
/// on into space preallocated up front, which is how the WAL writes its segments and on ext4 the faster of the
/// two for small writes (16 of them share a block, whose allocation is committed once).
/// </summary>
internal static class FsyncProbe
{
    private const int BlockBytes = 256;

    /// <summary>The preallocated file is this long; the probe wraps around to its start at the end.</summary>
    private const long PreallocatedBytes = 64L << 20;

    public static string Label(bool preallocated) => preallocated ? "256 B into preallocated space + fsync" : "256 B append + fsync";

    /// <summary>Both probes, each for <paramref name="duration"/>: the append row, then the preallocated one.</summary>
    public static async Task<(BenchRow Append, BenchRow Preallocated)> RunBothAsync(string directory, TimeSpan duration, CancellationToken cancellationToken)
    {
        var append = await RunAsync(directory, duration, preallocated: false, cancellationToken).ConfigureAwait(false);
        var preallocated = await RunAsync(directory, duration, preallocated: true, cancellationToken).ConfigureAwait(false);
        return (append, preallocated);
    }

    public static BenchFigure[] Figures(BenchRow append, BenchRow preallocated) =>
    [
        new($"fsync rate ({Label(preallocated: false)})", append.JobsPerSecond ?? 0, "fsyncs/s"),
        new($"fsync rate ({Label(preallocated: true)})", preallocated.JobsPerSecond ?? 0, "fsyncs/s"),
    ];

    /// <summary>
    /// One probe for <paramref name="duration"/>: back to back, or with <paramref name="perSecond"/> one write + fsync
    /// every 1/rate seconds and the thread asleep in between, as a lightly loaded server's WAL writes (on a virtual
    /// machine an fsync after an idle gap can take several times as long as one of a busy loop).
    /// </summary>
    public static async Task<BenchRow> RunAsync(string directory, TimeSpan duration, bool preallocated, CancellationToken cancellationToken, double? perSecond = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"conveyor-fsync-probe-{Guid.NewGuid():N}.tmp");
        var block = new byte[BlockBytes];
        var pace = new ProbePace(duration, perSecond);
        var latency = new LatencySamples();
        var started = Stopwatch.GetTimestamp();
        long count = 0;
        try
        {
            // Blocking syscalls: keep them off the thread pool the rest of the run uses.
            await Task.Factory.StartNew(
                () =>
                {
                    using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, preallocated ? PreallocatedBytes : 0);
                    var blocks = long.MaxValue;
                    if (preallocated)
                    {
                        RandomAccess.SetLength(handle, PreallocatedBytes);
                        RandomAccess.FlushToDisk(handle);
                        blocks = PreallocatedBytes / BlockBytes;
                    }

                    started = Stopwatch.GetTimestamp();
                    while (!cancellationToken.IsCancellationRequested && pace.TryNext(started, count, out var wait))
                    {
                        if (wait > TimeSpan.Zero)
                        {
                            Thread.Sleep(wait);
                        }

                        var before = Stopwatch.GetTimestamp();
                        RandomAccess.Write(handle, block, count % blocks * BlockBytes);
                        RandomAccess.FlushToDisk(handle);
                        latency.AddSince(before);
                        count++;
                    }
                },
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(path);
        }

        return BenchRow.Probe(pace.Name("fsync probe", Label(preallocated)), count, Stopwatch.GetElapsedTime(started).TotalSeconds, "one write + fsync", latency, pace.Note("fsyncs"));
    }
}
