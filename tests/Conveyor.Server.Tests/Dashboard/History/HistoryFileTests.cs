using System.Buffers.Binary;
using Conveyor.Server.Dashboard.History;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Dashboard.History;

public sealed class HistoryFileTests
{
    private const long Now = 29_000_010L * 30;

    private static HistoryRing Filled()
    {
        var ring = new HistoryRing();
        for (var m = 0; m < 3 * 24 * 60; m += 7)
        {
            ring.Add(Now - m, HistorySeries.All, HistoryRingTests.Cell(completed: m % 13, failed: m % 3, 0.004, 0.3, 12));
            ring.Add(Now - m, HistorySeries.Queue("mail"), HistoryRingTests.Cell(completed: 1));
            ring.Add(Now - m, HistorySeries.Type("é-unicode ✓"), HistoryRingTests.Cell(failed: 1));
        }

        return ring;
    }

    [Fact]
    public void WriteThenRead_RestoresTheSameAnswers()
    {
        var ring = Filled();
        var restored = new HistoryRing();

        foreach (var (tenMinutes, bucket) in HistoryFile.Read(HistoryFile.Write(ring.Buckets(Now))))
        {
            restored.Restore(tenMinutes, bucket, Now);
        }

        foreach (var range in new[] { HistoryRange.Hour, HistoryRange.Day, HistoryRange.Week })
        {
            foreach (var series in new[] { HistorySeries.All, HistorySeries.Queue("mail"), HistorySeries.Type("é-unicode ✓") })
            {
                Assert.Equal(ring.Read(range, series, Now), restored.Read(range, series, Now));
            }
        }

        Assert.Equal(ring.Queues, restored.Queues);
        Assert.Equal(ring.Types, restored.Types);
    }

    [Fact]
    public void Read_AnyFlippedByte_Throws()
    {
        var file = HistoryFile.Write(Filled().Buckets(Now));
        var random = new Random(25);
        for (var i = 0; i < 200; i++)
        {
            var copy = file.ToArray();
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
            Assert.Throws<InvalidDataException>(() => HistoryFile.Read(copy));
        }
    }

    [Fact]
    public void Read_TruncatedOrEmpty_Throws()
    {
        var file = HistoryFile.Write(Filled().Buckets(Now));
        foreach (var length in new[] { 0, 4, 12, 43, file.Length / 2, file.Length - 1 })
        {
            Assert.Throws<InvalidDataException>(() => HistoryFile.Read(file.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Read_UnknownVersion_ThrowsNamingIt()
    {
        var file = HistoryFile.Write(Filled().Buckets(Now));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 99);

        var error = Assert.Throws<InvalidDataException>(() => HistoryFile.Read(file));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_ReplacesTheFileWholeAndLeavesNoTemp()
    {
        using var dir = new TempDirectory("conveyor-history");
        HistoryFile.Save(dir.Path, HistoryFile.Write([]));
        var content = HistoryFile.Write(Filled().Buckets(Now));

        HistoryFile.Save(dir.Path, content);

        Assert.Equal(content, File.ReadAllBytes(Path.Combine(dir.Path, HistoryFile.FileName)));
        Assert.Equal([HistoryFile.FileName], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
