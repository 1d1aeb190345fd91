using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Tests.Log;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Device;

public sealed class FileStorageDeviceTests
{
    [Fact]
    public void Operations_RealDirectory_WriteSyncRenameListAndDelete()
    {
        using var temp = new TempDirectory();
        var device = new FileStorageDevice(temp.Path);
        device.CreateDirectory("snap");
        using (var file = device.Create("snap/a.tmp"))
        {
            file.Write("hello world"u8);
            file.WriteAt(0, "J"u8);
            file.Truncate(5);
            file.Sync();
            Assert.Equal(5, file.Length);
        }
        device.Rename("snap/a.tmp", "snap/a");
        device.SyncDirectory("snap");
        device.SyncDirectory("");

        Assert.Equal(["a"], device.ListFiles("snap"));
        Assert.Equal("Jello"u8.ToArray(), device.ReadAll("snap/a"));
        var part = new byte[10];
        Assert.Equal(3, device.Read("snap/a", 2, part));
        Assert.Equal("llo"u8.ToArray(), part[..3]);
        Assert.True(File.Exists(Path.Combine(temp.Path, "snap", "a")));
        device.Delete("snap/a");
        Assert.Empty(device.ListFiles("snap"));
        Assert.Empty(device.ListFiles("missing"));
    }

    [Fact]
    public void LockDirectory_SecondOpener_IsRefusedNamingDirectoryUntilReleased()
    {
        using var temp = new TempDirectory();
        var held = new FileStorageDevice(temp.Path).LockDirectory();

        var ex = Assert.Throws<DataDirectoryLockedException>(() => new FileStorageDevice(temp.Path).LockDirectory());
        Assert.Contains(temp.Path, ex.Message, StringComparison.Ordinal);

        held.Dispose();
        new FileStorageDevice(temp.Path).LockDirectory().Dispose();
    }

    [Fact]
    public void Create_Preallocated_StartsThatLongInZerosAndWritesInsideKeepTheLength()
    {
        using var temp = new TempDirectory();
        var device = new FileStorageDevice(temp.Path);

        using (var file = device.Create("f", preallocateBytes: 1 << 20))
        {
            Assert.Equal(1 << 20, file.Length);
            file.WriteAt(0, "head"u8);
            file.WriteAt(4, "er"u8);
            file.Sync();
            Assert.Equal(1 << 20, file.Length);
        }

        var bytes = device.ReadAll("f");
        Assert.Equal(1 << 20, bytes.Length);
        Assert.Equal("header"u8.ToArray(), bytes[..6]);
        Assert.True(bytes.AsSpan(6).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Create_Direct_AppendsTruncatesAndGrowthLeaveTheBytesBufferedWritesWould()
    {
        using var temp = new TempDirectory();
        var device = new FileStorageDevice(temp.Path);
        var random = new Random(20261123);
        using var direct = device.Create("direct", preallocateBytes: 256 << 10, direct: true);
        using var buffered = device.Create("buffered", preallocateBytes: 256 << 10);
        if (OperatingSystem.IsLinux())
        {
            Assert.IsType<DirectAppendFile>(direct); // ext4 here and in CI: the direct path is the one under test
        }

        var end = 0L;
        for (var i = 0; i < 400; i++)
        {
            var roll = random.Next(100);
            if (roll < 8 && end > 0)
            {
                // A roll-back after a failed write, or the cut at a segment's end: then appends go on from there.
                end = random.NextInt64(end + 1);
                direct.Truncate(end);
                buffered.Truncate(end);
                continue;
            }

            var size = roll switch
            {
                < 40 => random.Next(1, 64),
                < 80 => random.Next(64, 6000),
                < 90 => 4096 * random.Next(1, 4),
                < 97 => random.Next(6000, 70_000),
                _ => (1 << 20) + random.Next(1, 9000), // more than the direct file's 1 MiB window
            };
            var data = new byte[size];
            random.NextBytes(data);
            direct.WriteAt(end, data);
            buffered.WriteAt(end, data);
            end += size;
            if (roll % 7 == 0)
            {
                direct.Sync();
            }

            Assert.Equal(buffered.Length, direct.Length);
        }

        direct.Sync();
        Assert.True(end > 256 << 10, "the appends went past the preallocated space");
        Assert.Equal(device.ReadAll("buffered"), device.ReadAll("direct"));
        Assert.Throws<NotSupportedException>(() => direct.WriteAt(end - 1, "x"u8));
    }

    [Fact]
    public void StartWriteBack_RealFile_ChangesNoByteAndTheFileStillSyncs()
    {
        using var temp = new TempDirectory();
        var device = new FileStorageDevice(temp.Path);
        var data = new byte[3 << 20];
        new Random(3).NextBytes(data);

        var file = device.Create("f");
        file.Write(data);
        file.StartWriteBack(0, 1 << 20);
        file.StartWriteBack(1 << 20, 2 << 20);
        file.StartWriteBack(data.Length - 10, 1 << 20); // past the end: the OS writes back what there is
        file.StartWriteBack(5, 0);
        file.Sync();
        Assert.Equal(data.Length, file.Length);
        file.Dispose();

        Assert.Equal(data, device.ReadAll("f"));
        Assert.Throws<ObjectDisposedException>(() => file.StartWriteBack(0, 1));
    }

    [Fact]
    public void WriteAheadLog_OnRealFiles_ReopensPreallocatedSegmentAtItsLastRecord()
    {
        using var temp = new TempDirectory();
        var device = new FileStorageDevice(temp.Path);
        var (wal, _) = WalHarness.Open(device, segmentBytes: 1 << 16);
        wal.Append(WalHarness.Make(1, 100));
        wal.Flush(sync: true);
        wal.Dispose();

        var (reopened, replayed) = WalHarness.Open(device, segmentBytes: 1 << 16);
        reopened.Append(WalHarness.Make(2, 50));
        reopened.Flush(sync: true);
        reopened.Dispose();

        Assert.Equal([WalHarness.Make(1, 100)], replayed);
        Assert.Equal(0, reopened.TruncatedBytes);
        Assert.Equal(1, reopened.CurrentSegment);
        Assert.Equal(1 << 16, device.GetLength("wal/00000000000000000001.wal"));
        Assert.Equal([WalHarness.Make(1, 100), WalHarness.Make(2, 50)], WalHarness.Replay(device));
    }

    [Fact]
    public void WriteAheadLog_OnRealFiles_RoundTripsAcrossSegments()
    {
        using var temp = new TempDirectory();
        var device = new FileStorageDevice(temp.Path);
        var written = Enumerable.Range(0, 50).Select(i => WalHarness.Make(i, i * 13)).ToList();
        var (wal, _) = WalHarness.Open(device, segmentBytes: 4096);
        foreach (var record in written)
        {
            wal.Append(record);
            wal.Flush(sync: true);
        }
        wal.Dispose();

        Assert.True(device.ListFiles("wal").Count > 1);
        Assert.Equal(written, WalHarness.Replay(device));
    }

    [Fact]
    public void Resolve_PathEscapingRoot_IsRejected()
    {
        using var temp = new TempDirectory();
        var device = new FileStorageDevice(temp.Path);
        Assert.Throws<ArgumentException>(() => device.Exists("../etc/passwd"));
        Assert.Throws<ArgumentException>(() => device.Exists("/etc/passwd"));
    }
}
