using Conveyor.Core.Storage;
using Conveyor.Storage.Conformance;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

/// <summary>The restart facts again, recovering from a snapshot instead of replaying the whole log.</summary>
public sealed class EmbeddedRestartFromSnapshotConformance : RestartConformance
{
    private readonly EmbeddedStoreHarness harness = new();

    protected override ValueTask<IJobStore> OpenStoreAsync(JobStoreSettings settings) => harness.OpenAsync(settings);

    protected override async ValueTask<IJobStore> ReopenStoreAsync(IJobStore store)
    {
        Assert.True(await ((EmbeddedJobStore)store).SnapshotAsync(TestContext.Current.CancellationToken));
        return await harness.ReopenAsync(store);
    }

    protected override ValueTask DisposeResourcesAsync()
    {
        harness.Dispose();
        return ValueTask.CompletedTask;
    }
}
