using Conveyor.Core.Storage;
using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedLongPollConformance : LongPollConformance
{
    private readonly EmbeddedStoreHarness harness = new();

    protected override ValueTask<IJobStore> OpenStoreAsync(JobStoreSettings settings) => harness.OpenAsync(settings);

    protected override ValueTask<IJobStore> ReopenStoreAsync(IJobStore store) => harness.ReopenAsync(store);

    protected override ValueTask DisposeResourcesAsync()
    {
        harness.Dispose();
        return ValueTask.CompletedTask;
    }
}
