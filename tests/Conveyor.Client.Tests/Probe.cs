using System.Collections.Concurrent;

namespace Conveyor.Client.Tests;

/// <summary>What the test handlers saw: calls per job id, the most at once, cancellations, contexts.</summary>
public sealed class Probe
{
    private int current;
    private int max;

    public ConcurrentDictionary<string, int> Calls { get; } = new();

    public ConcurrentDictionary<string, JobContext> Contexts { get; } = new();

    public ConcurrentBag<string> Cancelled { get; } = [];

    public ConcurrentBag<(string Id, int Attempt)> CancelledAttempts { get; } = [];

    public ConcurrentDictionary<string, System.Diagnostics.Activity?> Activities { get; } = new();

    public int MaxConcurrent => Volatile.Read(ref max);

    public int Total => Calls.Values.Sum();

    public IDisposable Enter(JobContext context)
    {
        Calls.AddOrUpdate(context.Id, 1, (_, n) => n + 1);
        Contexts[context.Id] = context;
        Activities[context.Id] = System.Diagnostics.Activity.Current;
        var now = Interlocked.Increment(ref current);
        int seen;
        while (now > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, now, seen) != seen)
        {
        }

        return new Exit(this);
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> fires, records the attempt as cancelled, and rethrows.</summary>
    public async Task HoldUntilCancelledAsync(JobContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            CancelledAttempts.Add((context.Id, context.Attempt));
            throw;
        }
    }

    private sealed class Exit(Probe probe) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref probe.current);
    }
}
