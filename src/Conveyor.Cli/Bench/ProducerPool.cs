using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>
/// Concurrent producer loops that together enqueue a fixed number of jobs, <c>batch</c> per request
/// (1 uses <c>POST /v1/jobs</c>, more <c>POST /v1/jobs/batch</c>), each loop with one request in flight.
/// </summary>
internal sealed class ProducerPool(BenchHttp http, JobFactory jobs, int batch, bool stamped)
{
    private long claimed;
    private long enqueued;

    /// <summary>The time of each enqueue request.</summary>
    public LatencySamples RequestLatency { get; } = new();

    /// <summary>Runs until <paramref name="total"/> jobs are enqueued or <paramref name="cancellationToken"/> fires; returns how many were.</summary>
    public async Task<long> RunAsync(int loops, long total, ProgressCounter progress, CancellationToken cancellationToken)
    {
        var tasks = new Task[loops];
        for (var i = 0; i < loops; i++)
        {
            tasks[i] = Task.Run(() => LoopAsync(total, progress, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return Interlocked.Read(ref enqueued);
    }

    private async Task LoopAsync(long total, ProgressCounter progress, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var start = Interlocked.Add(ref claimed, batch) - batch;
            if (start >= total)
            {
                return;
            }

            var count = (int)Math.Min(batch, total - start);
            var sent = Stopwatch.GetTimestamp();
            try
            {
                if (batch == 1)
                {
                    await http.EnqueueAsync(jobs.Create(stamped), cancellationToken).ConfigureAwait(false);
                }
                else if (stamped)
                {
                    await http.EnqueueBatchAsync(jobs.CreateBatch(count, stamped), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await http.EnqueueBatchAsync(jobs.BatchBody(count), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            RequestLatency.AddSince(sent);
            Interlocked.Add(ref enqueued, count);
            progress.Add(count);
        }
    }
}
