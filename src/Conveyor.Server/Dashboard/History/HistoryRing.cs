using Conveyor.Core.Telemetry;

namespace Conveyor.Server.Dashboard.History;

/// <summary>
/// The metrics history: two rings of buckets, one per minute for the last 24 hours and one per ten minutes for the
/// last 7 days, each holding a cell per series that had something in it (so a quiet server holds next to nothing).
/// Queue and type names are capped: the first <see cref="QueueCap"/> queues and <see cref="TypeCap"/> types keep a
/// series of their own, every later one counts under <see cref="LabelCap.Other"/>. Not thread-safe: its owner
/// (<see cref="MetricsHistory"/>) locks.
/// </summary>
internal sealed class HistoryRing(int queueCap = HistoryRing.DefaultQueueCap, int typeCap = HistoryRing.DefaultTypeCap)
{
    public const int DefaultQueueCap = 32;
    public const int DefaultTypeCap = 64;
    public const int MinuteSlots = 24 * 60;
    public const int TenMinuteSlots = 7 * 24 * 6;

    private readonly HistoryBucket?[] minutes = new HistoryBucket?[MinuteSlots];
    private readonly HistoryBucket?[] tens = new HistoryBucket?[TenMinuteSlots];
    private readonly HashSet<string> queues = new(StringComparer.Ordinal);
    private readonly HashSet<string> types = new(StringComparer.Ordinal);

    public int QueueCap { get; } = queueCap;

    public int TypeCap { get; } = typeCap;

    /// <summary>The queues with a series of their own (and "other" once the cap was reached), by name.</summary>
    public IReadOnlyList<string> Queues => [.. queues.Order(StringComparer.Ordinal)];

    /// <summary>The types with a series of their own (and "other" once the cap was reached), by name.</summary>
    public IReadOnlyList<string> Types => [.. types.Order(StringComparer.Ordinal)];

    /// <summary>Adds <paramref name="delta"/> to <paramref name="series"/> (its name capped here) in the minute <paramref name="minute"/> (Unix minutes).</summary>
    public void Add(long minute, HistorySeries series, HistoryCell delta)
    {
        if (delta.IsEmpty)
        {
            return;
        }

        series = Cap(series);
        Slot(minutes, minute, 1, MinuteSlots).Add(series, delta);
        Slot(tens, minute - Mod(minute, 10), 10, TenMinuteSlots).Add(series, delta);
    }

    /// <summary>
    /// The points of <paramref name="range"/> for <paramref name="series"/> ending with the one that holds
    /// <paramref name="nowMinute"/>, oldest first, every step present (zeros where nothing happened).
    /// </summary>
    public List<double[]> Read(HistoryRange range, HistorySeries series, long nowMinute)
    {
        var step = range.StepMinutes;
        var last = nowMinute - Mod(nowMinute, step);
        var points = new List<double[]>(range.Points);
        for (var p = range.Points - 1; p >= 0; p--)
        {
            var start = last - ((long)p * step);
            var sum = new HistoryCell();
            if (range.FromMinutes)
            {
                for (var m = start; m < start + step; m++)
                {
                    AddFrom(sum, minutes, m, MinuteSlots, 1, series);
                }
            }
            else
            {
                for (var m = start; m < start + step; m += 10)
                {
                    AddFrom(sum, tens, m, TenMinuteSlots, 10, series);
                }
            }

            points.Add([start * 60_000d, sum.Completed, sum.Failed, sum.Runs, Math.Round(sum.MeanMs, 3), Math.Round(sum.P95Ms, 3)]);
        }

        return points;
    }

    /// <summary>Every bucket still in the rings, for the history file: minute buckets, then ten-minute ones.</summary>
    public IEnumerable<(bool TenMinutes, HistoryBucket Bucket)> Buckets(long nowMinute)
    {
        foreach (var bucket in minutes)
        {
            if (bucket is not null && bucket.StartMinute > nowMinute - MinuteSlots)
            {
                yield return (false, bucket);
            }
        }

        foreach (var bucket in tens)
        {
            if (bucket is not null && bucket.StartMinute > nowMinute - (TenMinuteSlots * 10L))
            {
                yield return (true, bucket);
            }
        }
    }

    /// <summary>Puts a bucket read from the history file back, when it still lies in its ring's span; its names are admitted (capped).</summary>
    public void Restore(bool tenMinutes, HistoryBucket bucket, long nowMinute)
    {
        var (span, width) = tenMinutes ? (TenMinuteSlots * 10L, 10) : (MinuteSlots, 1);
        if (bucket.StartMinute > nowMinute || bucket.StartMinute <= nowMinute - span || Mod(bucket.StartMinute, width) != 0)
        {
            return;
        }

        var slot = Slot(tenMinutes ? tens : minutes, bucket.StartMinute, width, tenMinutes ? TenMinuteSlots : MinuteSlots);
        foreach (var (series, cell) in bucket.Cells)
        {
            slot.Add(Cap(series), cell);
        }
    }

    private static long Mod(long value, long by) => ((value % by) + by) % by;

    private static HistoryBucket Slot(HistoryBucket?[] ring, long start, int width, int slots)
    {
        var index = (int)Mod(start / width, slots);
        if (ring[index] is not { } bucket || bucket.StartMinute != start)
        {
            bucket = new HistoryBucket(start);
            ring[index] = bucket;
        }

        return bucket;
    }

    private static void AddFrom(HistoryCell sum, HistoryBucket?[] ring, long start, int slots, int width, HistorySeries series)
    {
        if (ring[(int)Mod(start / width, slots)] is { } bucket && bucket.StartMinute == start && bucket.Cells.TryGetValue(series, out var cell))
        {
            sum.Add(cell);
        }
    }

    private HistorySeries Cap(HistorySeries series) => series.Dimension switch
    {
        HistoryDimension.Queue => HistorySeries.Queue(Admit(queues, QueueCap, series.Name)),
        HistoryDimension.Type => HistorySeries.Type(Admit(types, TypeCap, series.Name)),
        _ => HistorySeries.All,
    };

    private static string Admit(HashSet<string> names, int cap, string name)
    {
        if (names.Contains(name))
        {
            return name;
        }

        // "other" is not counted against the cap: it holds what the cap turned away.
        if (name != LabelCap.Other && names.Count(n => n != LabelCap.Other) >= cap)
        {
            names.Add(LabelCap.Other);
            return LabelCap.Other;
        }

        names.Add(name);
        return name;
    }
}
