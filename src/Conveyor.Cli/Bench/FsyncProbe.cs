using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The machine's fsync rate, the ceiling of one producer with one request in flight under <c>sync</c>
/// durability: append 4 KiB and fsync, in a loop, on a temp file in the data directory's file system.
/// </summary>
internal static class FsyncProbe
{
    private const int BlockBytes = 4096;

    public static async Task<BenchRow> RunAsync(string directory, TimeSpan duration, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"conveyor-fsync-probe-{Guid.NewGuid():N}.tmp");
        var block = new byte[BlockBytes];
        var latency = new LatencySamples();
        var started = Stopwatch.GetTimestamp();
        long count = 0;
        try
        {
            // Blocking syscalls: keep them off the thread pool the rest of the run uses.
            await Task.Factory.StartNew(
                () =>
                {
                    using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None);
                    while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
                    {
                        var before = Stopwatch.GetTimestamp();
                        RandomAccess.Write(handle, block, count * BlockBytes);
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

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new BenchRow
        {
            Name = "fsync probe (4 KiB append + fsync)",
            Jobs = count,
            Seconds = seconds,
            JobsPerSecond = count / seconds,
            Latency = "one append + fsync",
            P50Ms = latency.Milliseconds(0.50),
            P99Ms = latency.Milliseconds(0.99),
            P999Ms = latency.Milliseconds(0.999),
            Note = "fsyncs/s in the jobs/s column",
        };
    }
}
