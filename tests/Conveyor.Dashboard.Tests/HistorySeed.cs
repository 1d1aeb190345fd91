using Conveyor.Server.Dashboard.History;

namespace Conveyor.Dashboard.Tests;

/// <summary>
/// Writes a week of made-up metrics history into a data directory (through the server's own ring and file format), so the
/// history page has something to draw before the server has run for long: a daily wave of mail and report jobs, a few
/// failures, run times that grow with the load.
/// </summary>
internal static class HistorySeed
{
    public static void Write(string dataDirectory)
    {
        var ring = new HistoryRing();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
        var random = new Random(25);
        for (var m = now - (7 * 24 * 60) + 1; m <= now; m++)
        {
            var wave = 1 + Math.Sin(m / (24 * 60.0) * 2 * Math.PI);
            Add(ring, m, "mail", "email.send", (int)(40 * wave) + random.Next(10), random.Next(4) == 0 ? 1 : 0, 0.02 + (0.03 * wave), random);
            Add(ring, m, "reports", "report.build", (int)(8 * wave) + random.Next(3), random.Next(15) == 0 ? 2 : 0, 0.8 + wave, random);
        }

        HistoryFile.Save(dataDirectory, HistoryFile.Write(ring.Buckets(now)));
    }

    private static void Add(HistoryRing ring, long minute, string queue, string type, int completed, int failed, double seconds, Random random)
    {
        var cell = new HistoryCell { Completed = completed, Failed = failed };
        for (var i = 0; i < completed + failed; i++)
        {
            cell.AddRun(seconds * (0.5 + random.NextDouble()) * (random.Next(20) == 0 ? 3 : 1));
        }

        foreach (var series in new[] { HistorySeries.All, HistorySeries.Queue(queue), HistorySeries.Type(type) })
        {
            ring.Add(minute, series, cell);
        }
    }
}
