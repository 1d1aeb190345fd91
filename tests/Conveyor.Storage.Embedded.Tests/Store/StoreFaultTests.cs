using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Log;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

public sealed class StoreFaultTests
{
    [Fact]
    public async Task Enqueue_WhenDiskFull_IsRefusedAndReadsKeepWorking()
    {
        // Without preallocation, so the enqueue's write is what needs the space the disk does not have.
        await using var h = new StoreHarness(device: new MemoryStorageDevice { CanPreallocate = false });
        await h.EnqueueAsync(StoreHarness.Job("kept"));
        h.Device.CapacityBytes = h.Device.UsedBytes + 10;

        await Assert.ThrowsAsync<StorageUnavailableException>(() => h.EnqueueAsync(StoreHarness.Job("refused")));

        Assert.NotNull(await h.Store.GetJobAsync(new JobGet("kept")));
        Assert.Null(await h.Store.GetJobAsync(new JobGet("refused")));
        Assert.Equal(1, (await h.Store.GetStatsAsync()).Counts[Core.Jobs.JobState.Available]);
    }

    [Fact]
    public async Task Enqueue_AfterSpaceReturns_ResumesAndLosesNothingAccepted()
    {
        // Without preallocation, so the enqueue's write is what needs the space the disk does not have.
        await using var h = new StoreHarness(device: new MemoryStorageDevice { CanPreallocate = false });
        await h.EnqueueAsync(StoreHarness.Job("before"));
        h.Device.CapacityBytes = h.Device.UsedBytes + 10;
        await Assert.ThrowsAsync<StorageUnavailableException>(() => h.EnqueueAsync(StoreHarness.Job("refused")));

        h.Device.CapacityBytes = null;
        await h.EnqueueAsync(StoreHarness.Job("after"));
        await h.CrashAndReopenAsync();

        Assert.NotNull(await h.Store.GetJobAsync(new JobGet("before")));
        Assert.NotNull(await h.Store.GetJobAsync(new JobGet("after")));
        Assert.Null(await h.Store.GetJobAsync(new JobGet("refused")));
    }

    [Fact]
    public async Task Settle_WhenFsyncFails_IsRefusedAndTheLeaseStillHolds()
    {
        await using var h = new StoreHarness();
        await h.EnqueueAsync(StoreHarness.Job("a"));
        var leased = (await h.Store.FetchAsync(new JobFetch(["q"], 1, null)))[0];
        h.Device.FailSync = true;

        await Assert.ThrowsAsync<StorageUnavailableException>(async () =>
            await h.Store.SettleAsync(new JobSettle([new Core.Storage.JobAck("a", leased.Lease!.Token)], [])));

        Assert.Equal(Core.Jobs.JobState.Active, (await h.Store.GetJobAsync(new JobGet("a")))!.State);
        h.Device.FailSync = false;
        var results = await h.Store.SettleAsync(new JobSettle([new Core.Storage.JobAck("a", leased.Lease!.Token)], []));
        Assert.Equal(SettleStatus.Ok, results[0].Status);
        await h.CrashAndReopenAsync();
        Assert.Equal(Core.Jobs.JobState.Completed, (await h.Store.GetJobAsync(new JobGet("a")))!.State);
    }

    [Fact]
    public async Task Crash_AfterFailedFsync_DoesNotResurrectTheRefusedWrite()
    {
        await using var h = new StoreHarness();
        await h.EnqueueAsync(StoreHarness.Job("a"));
        h.Device.FailSync = true;
        await Assert.ThrowsAsync<StorageUnavailableException>(() => h.EnqueueAsync(StoreHarness.Job("b")));

        h.Device.FailSync = false;
        await h.CrashAndReopenAsync();

        Assert.NotNull(await h.Store.GetJobAsync(new JobGet("a")));
        Assert.Null(await h.Store.GetJobAsync(new JobGet("b")));
    }

    [Fact]
    public async Task Open_WithCorruptionBeforeValidRecords_RefusesNamingFileAndOffset()
    {
        var h = new StoreHarness();
        for (var i = 0; i < 5; i++)
        {
            await h.EnqueueAsync(StoreHarness.Job($"j{i}"));
        }

        await h.Store.DisposeAsync();
        var segment = "wal/" + h.Device.ListFiles("wal")[0];
        var bytes = h.Device.ReadAll(segment);
        using (var file = h.Device.OpenAppend(segment))
        {
            // Flip a byte inside the first record's payload (header 16 bytes + frame header 9 bytes).
            file.WriteAt(16 + 9 + 3, [(byte)(bytes[16 + 9 + 3] ^ 0xFF)]);
            file.Sync();
        }

        var error = Assert.Throws<WalCorruptionException>(() => h.Open());

        Assert.Contains("00000000000000000001.wal", error.Message, StringComparison.Ordinal);
        Assert.Equal(16, error.Offset);
    }
}
