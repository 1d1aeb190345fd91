using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>
/// Enqueues single jobs at a fixed offered rate whatever the answers' pace (open loop: a slow server does
/// not slow the offer, so queueing shows in the latencies), with a bounded number of requests in flight.
/// </summary>
internal sealed class OpenLoopProducer(BenchHttp http, JobFactory jobs, int rate)
{
    public const int MaxInFlight = 512;

    private long behind;

    public LatencySamples RequestLatency { get; } = new();

    /// <summary>Sends that left later than their slot because <see cref="MaxInFlight"/> requests were pending.</summary>
    public long Behind => Interlocked.Read(ref behind);

    public async Task<long> RunAsync(long total, ProgressCounter progress, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(MaxInFlight);
        var pending = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        try
        {
            for (; sent < total; sent++)
            {
                var due = start + (long)(sent * (double)Stopwatch.Frequency / rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }

                if (!slots.Wait(0))
                {
                    Interlocked.Increment(ref behind);
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

                pending.Add(SendAsync(slots, progress, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time: report what was offered.
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        return sent;
    }

    private async Task SendAsync(SemaphoreSlim slots, ProgressCounter progress, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            await http.EnqueueAsync(jobs.Create(stamped: true), cancellationToken).ConfigureAwait(false);
            RequestLatency.AddSince(sent);
            progress.Add(1);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Out of time.
        }
        finally
        {
            slots.Release();
        }
    }
}
