using System.Buffers;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Snapshots;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Snapshots;

public sealed class SnapshotFilesTests
{
    [Fact]
    public void Write_SmallBody_ProducesGoldenContainer()
    {
        var device = new MemoryStorageDevice();

        var path = new SnapshotFiles(device).Write(3, w => w.Write("hello snapshot"u8));

        Assert.Equal("snap/00000000000000000003.snap", path);
        Assert.Equal(
            Convert.FromHexString("434E56534E415031" + "0300000000000000" + "0E00000000000000" + "2CD5E2DD" + "68656C6C6F20736E617073686F74"),
            device.ReadAll(path));
    }

    [Fact]
    public void TryLoadLatest_AfterStreamedLargeWriteAndCrash_ReturnsSameBody()
    {
        var device = new MemoryStorageDevice();
        var expected = new byte[3_500_000];
        new Random(11).NextBytes(expected);
        new SnapshotFiles(device).Write(5, w =>
        {
            // Uneven pieces, some larger than the writer's chunk, to exercise its buffering.
            var rest = expected.AsSpan();
            for (var piece = 1; rest.Length > 0; piece = piece * 3 % 2_000_003)
            {
                var n = Math.Min(piece, rest.Length);
                rest[..n].CopyTo(w.GetSpan(n));
                w.Advance(n);
                rest = rest[n..];
            }
        });
        device.SimulateCrash();

        var loaded = new SnapshotFiles(device).TryLoadLatest();

        Assert.NotNull(loaded);
        Assert.Equal(5, loaded.CoversSegmentsBefore);
        Assert.Equal(expected, loaded.Body);
    }

    [Fact]
    public void TryLoadLatest_NoSnapshot_ReturnsNull() =>
        Assert.Null(new SnapshotFiles(new MemoryStorageDevice()).TryLoadLatest());

    [Theory]
    [InlineData(0)] // magic
    [InlineData(9)] // segment index
    [InlineData(17)] // body length
    [InlineData(25)] // CRC
    [InlineData(30)] // body
    public void TryLoadLatest_NewestDamaged_ThrowsNamingFile(int offset)
    {
        var device = new MemoryStorageDevice();
        var files = new SnapshotFiles(device);
        files.Write(2, w => w.Write("older and fine"u8));
        files.Write(4, w => w.Write("newest, about to be damaged"u8));
        using (var file = device.OpenAppend("snap/00000000000000000004.snap"))
        {
            file.WriteAt(offset, [(byte)(device.ReadAll("snap/00000000000000000004.snap")[offset] ^ 0x01)]);
        }

        var ex = Assert.Throws<SnapshotCorruptionException>(files.TryLoadLatest);

        Assert.Equal("snap/00000000000000000004.snap", ex.FileName);
        Assert.Contains("snap/00000000000000000004.snap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoadLatest_TruncatedNewest_Throws()
    {
        var device = new MemoryStorageDevice();
        var files = new SnapshotFiles(device);
        files.Write(4, w => w.Write("body"u8));
        using (var file = device.OpenAppend("snap/00000000000000000004.snap"))
        {
            file.Truncate(30);
        }

        Assert.Throws<SnapshotCorruptionException>(files.TryLoadLatest);
    }

    [Fact]
    public void TryLoadLatest_LeftoverTempFile_IsIgnoredAndDeleted()
    {
        var device = new MemoryStorageDevice();
        var files = new SnapshotFiles(device);
        files.Write(2, w => w.Write("good"u8));
        using (var file = device.Create("snap/00000000000000000009.snap.tmp"))
        {
            file.Write("half a snapshot"u8);
        }

        var loaded = files.TryLoadLatest();

        Assert.Equal(2, loaded?.CoversSegmentsBefore);
        Assert.Equal(["00000000000000000002.snap"], device.ListFiles("snap"));
    }

    [Fact]
    public void Write_ThirdSnapshot_KeepsOnlyNewestAndPrevious()
    {
        var device = new MemoryStorageDevice();
        var files = new SnapshotFiles(device);
        foreach (var index in new long[] { 2, 5, 9 })
        {
            files.Write(index, w => w.Write("s"u8));
        }

        Assert.Equal(["00000000000000000005.snap", "00000000000000000009.snap"], device.ListFiles("snap"));
    }

    [Fact]
    public void Write_BodyWriterThrows_LeavesNoFileBehind()
    {
        var device = new MemoryStorageDevice();
        var files = new SnapshotFiles(device);

        Assert.Throws<InvalidOperationException>(() => files.Write(3, _ => throw new InvalidOperationException("encoder failed")));

        Assert.Empty(device.ListFiles("snap"));
        Assert.Null(files.TryLoadLatest());
    }
}
