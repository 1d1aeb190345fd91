using Conveyor.Server.Dashboard.History;
using Conveyor.Testing;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Tests.Dashboard.History;

/// <summary>The history service on its own: how it treats the file it finds at start, and a store without a data directory.</summary>
public sealed class MetricsHistoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MetricsHistory Create(string directory, CapturedLog log, StoreKind store = StoreKind.Embedded) =>
        new(new ConveyorServerOptions { DataDirectory = directory, Store = store }, new LoggerFactory([log]).CreateLogger<MetricsHistory>());

    [Theory]
    [InlineData("garbage")]
    [InlineData("flipped")]
    [InlineData("version")]
    public async Task Start_WithADamagedOrUnknownFile_StartsEmptyWithAWarningAndReplacesIt(string damage)
    {
        using var dir = new TempDirectory("conveyor-history");
        var ring = new HistoryRing();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60;
        ring.Add(now, HistorySeries.All, HistoryRingTests.Cell(completed: 5));
        var file = HistoryFile.Write(ring.Buckets(now));
        switch (damage)
        {
            case "garbage":
                file = "not a history file at all"u8.ToArray();
                break;
            case "flipped":
                file[20] ^= 0x40;
                break;
            default:
                file[8] = 2;
                break;
        }

        var path = Path.Combine(dir.Path, HistoryFile.FileName);
        await File.WriteAllBytesAsync(path, file, Ct);
        var log = new CapturedLog();
        using var history = Create(dir.Path, log);

        await history.StartAsync(Ct);
        var view = history.Read(HistoryRange.Hour, null, null);
        await history.StopAsync(Ct);

        Assert.Equal(0, view.Points.Sum(p => p[1]));
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("could not be read", StringComparison.Ordinal));
        Assert.True(view.Persisted);
        Assert.Equal(file, await File.ReadAllBytesAsync(path, Ct)); // nothing new to write: the damaged file stays for a look until there is
    }

    [Fact]
    public async Task Start_WithoutADataDirectoryStore_KeepsTheHistoryInMemoryAndWritesNothing()
    {
        using var dir = new TempDirectory("conveyor-history");
        var log = new CapturedLog();
        using var history = Create(dir.Path, log, StoreKind.Postgres);

        await history.StartAsync(Ct);
        history.Fold();
        await history.StopAsync(Ct);

        Assert.False(history.Read(HistoryRange.Hour, null, null).Persisted);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
