using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>Latencies in <see cref="Stopwatch"/> ticks, added from any thread; percentiles once the phase is over.</summary>
internal sealed class LatencySamples
{
    private readonly Lock gate = new();
    private readonly List<long> ticks = [];
    private long[]? sorted;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return ticks.Count;
            }
        }
    }

    public void Add(long elapsedTicks)
    {
        lock (gate)
        {
            ticks.Add(elapsedTicks);
            sorted = null;
        }
    }

    public void AddSince(long startTimestamp) => Add(Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>The <paramref name="quantile"/> (0.5, 0.99, ...) in milliseconds (nearest rank); null without samples.</summary>
    public double? Milliseconds(double quantile)
    {
        long[] values;
        lock (gate)
        {
            if (ticks.Count == 0)
            {
                return null;
            }

            values = sorted ??= Sort(ticks);
        }

        return values[NearestRank(values.Length, quantile)] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>The index of the <paramref name="quantile"/> in <paramref name="count"/> sorted values (nearest rank).</summary>
    public static int NearestRank(int count, double quantile) => Math.Clamp((int)Math.Ceiling(quantile * count) - 1, 0, count - 1);

    private static long[] Sort(List<long> values)
    {
        var array = values.ToArray();
        Array.Sort(array);
        return array;
    }
}
