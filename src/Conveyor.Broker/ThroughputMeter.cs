namespace Conveyor.Broker;

/// <summary>The completion rate over a sliding window, from samples of the processed total.</summary>
internal sealed class ThroughputMeter(TimeSpan window)
{
    private readonly Lock gate = new();
    private readonly Queue<(long Ticks, long Processed)> samples = new();

    public void Record(long timestampTicks, long processed)
    {
        lock (gate)
        {
            samples.Enqueue((timestampTicks, processed));
            while (samples.Count > 2 && timestampTicks - samples.Peek().Ticks > window.Ticks)
            {
                samples.Dequeue();
            }
        }
    }

    /// <summary>Jobs per second between the oldest and newest sample in the window; 0 with fewer than two.</summary>
    public double PerSecond()
    {
        lock (gate)
        {
            if (samples.Count < 2)
            {
                return 0;
            }

            var first = samples.Peek();
            var last = samples.Last();
            var seconds = TimeSpan.FromTicks(last.Ticks - first.Ticks).TotalSeconds;
            return seconds <= 0 ? 0 : (last.Processed - first.Processed) / seconds;
        }
    }
}
