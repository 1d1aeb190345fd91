using Conveyor.Storage.Embedded.Device;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Device;

public sealed class MemoryStorageDeviceTests
{
    [Fact]
    public void SimulateCrash_UnsyncedBytes_AreLostExceptTornKeep()
    {
        var device = new MemoryStorageDevice();
        using (var file = device.Create("d/f"))
        {
            file.Write("synced"u8);
            file.Sync();
            file.Write("-not-synced"u8);
        }
        device.SyncDirectory("d");

        device.SimulateCrash(keepUnsyncedBytes: 4);

        Assert.Equal("synced-not"u8.ToArray(), device.ReadAll("d/f"));
    }

    [Fact]
    public void SimulateCrash_RenameWithoutDirectorySync_IsLost()
    {
        var device = new MemoryStorageDevice();
        WriteSynced(device, "d/old", "x"u8);
        device.SyncDirectory("d");
        device.Rename("d/old", "d/new");

        device.SimulateCrash();

        Assert.Equal(["old"], device.ListFiles("d"));
    }

    [Fact]
    public void SimulateCrash_RenameFollowedByDirectorySync_Survives()
    {
        var device = new MemoryStorageDevice();
        WriteSynced(device, "d/old", "x"u8);
        device.Rename("d/old", "d/new");
        device.SyncDirectory("d");

        device.SimulateCrash();

        Assert.Equal(["new"], device.ListFiles("d"));
        Assert.Equal("x"u8.ToArray(), device.ReadAll("d/new"));
    }

    [Fact]
    public void SimulateCrash_OpenHandles_AreDead()
    {
        var device = new MemoryStorageDevice();
        var file = device.Create("f");
        device.SimulateCrash();
        Assert.Throws<ObjectDisposedException>(() => file.Write("x"u8));
    }

    [Fact]
    public void Sync_FailSync_ThrowsAndBytesStayUnsynced()
    {
        var device = new MemoryStorageDevice();
        using var file = device.Create("f");
        device.SyncDirectory("");
        file.Write("data"u8);
        device.FailSync = true;

        Assert.Throws<IOException>(file.Sync);
        Assert.Throws<IOException>(() => device.SyncDirectory(""));
        device.SimulateCrash();
        Assert.Empty(device.ReadAll("f"));
    }

    [Fact]
    public void Write_PastCapacity_WritesWhatFitsThenThrowsUntilCapacityRaised()
    {
        var device = new MemoryStorageDevice { CapacityBytes = 6 };
        using var file = device.Create("f");

        var ex = Assert.Throws<IOException>(() => file.Write("0123456789"u8));

        Assert.Equal("No space left on device", ex.Message);
        Assert.Equal(6, file.Length);
        device.CapacityBytes = 100;
        file.Write("more"u8);
        Assert.Equal(10, file.Length);
    }

    [Fact]
    public void LockDirectory_Twice_IsRefusedUntilDisposedOrCrash()
    {
        var device = new MemoryStorageDevice();
        var held = device.LockDirectory();
        Assert.Throws<DataDirectoryLockedException>(device.LockDirectory);
        held.Dispose();
        device.LockDirectory();
        device.SimulateCrash();
        device.LockDirectory().Dispose();
    }

    private static void WriteSynced(MemoryStorageDevice device, string path, ReadOnlySpan<byte> data)
    {
        using var file = device.Create(path);
        file.Write(data);
        file.Sync();
    }
}
