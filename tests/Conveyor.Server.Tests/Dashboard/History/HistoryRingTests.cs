using Conveyor.Server.Dashboard.History;

namespace Conveyor.Server.Tests.Dashboard.History;

public sealed class HistoryRingTests
{
    // A minute that is a multiple of 30, so every range's last step starts at it.
    private const long Now = 29_000_010L * 30;

    internal static HistoryCell Cell(long completed = 0, long failed = 0, params double[] runs)
    {
        var cell = new HistoryCell { Completed = completed, Failed = failed };
        foreach (var seconds in runs)
        {
            cell.AddRun(seconds);
        }

        return cell;
    }

    [Fact]
    public void Read_Hour_SixtyMinutePointsEndingNowWithEveryMinuteSummed()
    {
        var ring = new HistoryRing();
        ring.Add(Now, HistorySeries.All, Cell(completed: 3));
        ring.Add(Now, HistorySeries.All, Cell(completed: 2, failed: 1));
        ring.Add(Now - 59, HistorySeries.All, Cell(completed: 7));
        ring.Add(Now - 60, HistorySeries.All, Cell(completed: 100)); // outside the hour

        var points = ring.Read(HistoryRange.Hour, HistorySeries.All, Now);

        Assert.Equal(60, points.Count);
        Assert.Equal((Now - 59) * 60_000d, points[0][0]);
        Assert.Equal(Now * 60_000d, points[^1][0]);
        Assert.Equal(7, points[0][1]);
        Assert.Equal([5d, 1d], points[^1][1..3]);
        Assert.Equal(12, points.Sum(p => p[1]));
    }

    [Fact]
    public void Read_Day_FiveMinuteStepsFromTheMinuteRing()
    {
        var ring = new HistoryRing();
        for (var m = 0; m < 5; m++)
        {
            ring.Add(Now - 5 + m, HistorySeries.All, Cell(completed: 1));
        }

        ring.Add(Now - (24 * 60) + 5, HistorySeries.All, Cell(failed: 4)); // the oldest step of the day

        var points = ring.Read(HistoryRange.Day, HistorySeries.All, Now + 2);

        Assert.Equal(288, points.Count);
        Assert.Equal(Now * 60_000d, points[^1][0]);
        Assert.Equal(5, points[^2][1]);
        Assert.Equal(4, points[0][2]);
    }

    [Fact]
    public void Read_Week_ComesFromTheTenMinuteRingAfterTheMinuteRingForgot()
    {
        var ring = new HistoryRing();
        var threeDaysAgo = Now - (3 * 24 * 60);
        ring.Add(threeDaysAgo + 3, HistorySeries.All, Cell(completed: 6));
        ring.Add(threeDaysAgo + 17, HistorySeries.All, Cell(completed: 4));

        var day = ring.Read(HistoryRange.Day, HistorySeries.All, Now);
        var week = ring.Read(HistoryRange.Week, HistorySeries.All, Now);

        Assert.Equal(0, day.Sum(p => p[1]));
        Assert.Equal(336, week.Count);
        var step = Assert.Single(week, p => p[1] > 0);
        Assert.Equal(10, step[1]);
        Assert.Equal(threeDaysAgo * 60_000d, step[0]);
    }

    [Fact]
    public void Add_AMinuteADayLater_ReusesTheSlotAndDropsTheOldBucket()
    {
        var ring = new HistoryRing();
        ring.Add(Now - (24 * 60), HistorySeries.All, Cell(completed: 9));
        ring.Add(Now, HistorySeries.All, Cell(completed: 1));

        Assert.Equal(1, ring.Read(HistoryRange.Day, HistorySeries.All, Now).Sum(p => p[1]));
        Assert.Equal(10, ring.Read(HistoryRange.Week, HistorySeries.All, Now).Sum(p => p[1])); // the ten-minute ring still has both
        Assert.DoesNotContain(ring.Buckets(Now), b => !b.TenMinutes && b.Bucket.StartMinute == Now - (24 * 60));
    }

    [Fact]
    public void Add_PastTheCaps_CountsUnderOther()
    {
        var ring = new HistoryRing(queueCap: 2, typeCap: 1);
        foreach (var queue in new[] { "a", "b", "c", "d" })
        {
            ring.Add(Now, HistorySeries.Queue(queue), Cell(completed: 1));
        }

        ring.Add(Now, HistorySeries.Type("t1"), Cell(completed: 1));
        ring.Add(Now, HistorySeries.Type("t2"), Cell(failed: 2));

        Assert.Equal(["a", "b", "other"], ring.Queues);
        Assert.Equal(["other", "t1"], ring.Types);
        Assert.Equal(2, ring.Read(HistoryRange.Hour, HistorySeries.Queue("other"), Now)[^1][1]);
        Assert.Equal(0, ring.Read(HistoryRange.Hour, HistorySeries.Queue("c"), Now)[^1][1]);
        Assert.Equal(2, ring.Read(HistoryRange.Hour, HistorySeries.Type("other"), Now)[^1][2]);
        Assert.Equal(1, ring.Read(HistoryRange.Hour, HistorySeries.Queue("a"), Now)[^1][1]);
    }

    [Fact]
    public void Read_RunTimes_MeanExactAndP95WithinItsBin()
    {
        var ring = new HistoryRing();
        var runs = Enumerable.Repeat(0.02, 90).Concat(Enumerable.Repeat(2.0, 10)).ToArray(); // 90 at 20 ms, 10 at 2 s
        ring.Add(Now, HistorySeries.Type("report"), Cell(completed: 100, runs: runs));

        var point = ring.Read(HistoryRange.Hour, HistorySeries.Type("report"), Now)[^1];

        Assert.Equal(100, point[3]);
        Assert.Equal(218, point[4], 3); // (90 × 20 + 10 × 2000) / 100 ms
        Assert.InRange(point[5], 1000, 2500); // the 95th run lies in the (1 s, 2.5 s] bin
    }

    [Fact]
    public void Restore_OutsideItsRingsSpan_IsDropped()
    {
        var ring = new HistoryRing();
        var old = new HistoryBucket(Now - (8 * 24 * 60));
        old.Add(HistorySeries.All, Cell(completed: 5));
        var recent = new HistoryBucket(Now - 20);
        recent.Add(HistorySeries.Queue("mail"), Cell(completed: 2));

        ring.Restore(true, old, Now);
        ring.Restore(false, recent, Now);
        ring.Restore(false, new HistoryBucket(Now + 5), Now); // from a clock that was ahead

        Assert.Equal(0, ring.Read(HistoryRange.Week, HistorySeries.All, Now).Sum(p => p[1]));
        Assert.Equal(2, ring.Read(HistoryRange.Hour, HistorySeries.Queue("mail"), Now).Sum(p => p[1]));
        Assert.Equal(["mail"], ring.Queues);
    }
}
