using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Operations;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Store;

/// <summary>
/// An operation that throws after it began changing the state stops the store (memory may differ from the log); one
/// that throws before changing anything is answered to its caller alone.
/// </summary>
public sealed class StoreFailStopTests
{
    [Fact]
    public async Task Operation_ThrowsAfterPartlyApplying_StopsTheStoreAndReopenShowsTheLog()
    {
        await using var h = new StoreHarness();
        await h.EnqueueAsync(StoreHarness.Job("scheduled", runAt: h.Time.GetUtcNow().AddHours(1)));
        await h.EnqueueAsync(StoreHarness.Job("available"));

        // The promotion of the first id is applied in memory before the unknown second id throws.
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => h.Store.Submit(new EmitOperation(new JobsPromoted(1, ["scheduled", "missing"]))));

        Assert.Contains("stopped after an internal error in EmitOperation; restart the server to recover from the log", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidDataException>(error.InnerException); // an event naming a job the table lacks
        Assert.Same(error, h.Store.Failure);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => h.EnqueueAsync(StoreHarness.Job("later")));
        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await h.Store.GetJobAsync(new JobGet("scheduled")));

        await h.ReopenAsync();

        Assert.Null(h.Store.Failure);
        Assert.Equal(JobState.Scheduled, (await h.Store.GetJobAsync(new JobGet("scheduled")))?.State);
        Assert.Equal(JobState.Available, (await h.Store.GetJobAsync(new JobGet("available")))?.State);
        Assert.Null(await h.Store.GetJobAsync(new JobGet("later")));
    }

    [Fact]
    public async Task Operation_ThrowsAfterEmittingWhole_NothingOfItReachesTheLog()
    {
        await using var h = new StoreHarness();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => h.Store.Submit(new EmitOperation(new QueuePaused("paused"), thenThrow: true)));
        await h.ReopenAsync();

        Assert.Empty(await h.Store.ListQueuesAsync());
    }

    [Fact]
    public async Task Operation_ThrowsBeforeEmitting_OnlyItsCallerFails()
    {
        await using var h = new StoreHarness();

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Store.Submit(new EmitOperation(null, thenThrow: true)));

        Assert.Null(h.Store.Failure);
        Assert.Equal("next", await h.EnqueueAsync(StoreHarness.Job("next")));
    }

    /// <summary>Emits <paramref name="e"/> (if any), then throws when <paramref name="thenThrow"/>: the test seam for a bug in an operation or an apply.</summary>
    private sealed class EmitOperation(StoreEvent? e, bool thenThrow = false) : StoreOperation<int>
    {
        protected override int Run(OperationContext context)
        {
            if (e is not null)
            {
                context.Emit(e);
            }

            return thenThrow ? throw new InvalidOperationException("injected") : 0;
        }
    }
}
