using Conveyor.Core.Storage;
using Conveyor.Storage.Conformance;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

/// <summary>
/// Opens the embedded store on a temp directory without fsync, and reopens it on the same directory (after a
/// snapshot when <paramref name="snapshotBeforeReopen"/>, so recovery starts from it instead of replaying the log).
/// </summary>
internal sealed class EmbeddedStoreHarness(bool snapshotBeforeReopen = false) : IStoreHarness
{
    private readonly TempDirectory directory = new("conveyor-conformance");
    private JobStoreSettings? settings;

    public ValueTask<IJobStore> OpenAsync(JobStoreSettings storeSettings)
    {
        settings = storeSettings;
        return ValueTask.FromResult<IJobStore>(Open());
    }

    public async ValueTask<IJobStore> ReopenAsync(IJobStore store)
    {
        if (snapshotBeforeReopen)
        {
            Assert.True(await ((EmbeddedJobStore)store).SnapshotAsync(TestContext.Current.CancellationToken));
        }

        await store.DisposeAsync();
        return Open();
    }

    public void Dispose() => directory.Dispose();

    private EmbeddedJobStore Open() => EmbeddedJobStore.Open(
        new EmbeddedStoreOptions { DataDirectory = directory.Path, Durability = DurabilityMode.None },
        settings ?? throw new InvalidOperationException("open the store before reopening it"),
        loggerFactory: null);
}
