using Conveyor.Core.Storage;
using Conveyor.Testing;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

/// <summary>Opens the embedded store on a temp directory without fsync, and reopens it on the same directory.</summary>
internal sealed class EmbeddedStoreHarness : IDisposable
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
        await store.DisposeAsync();
        return Open();
    }

    public void Dispose() => directory.Dispose();

    private EmbeddedJobStore Open() => EmbeddedJobStore.Open(
        new EmbeddedStoreOptions { DataDirectory = directory.Path, Durability = DurabilityMode.None },
        settings ?? throw new InvalidOperationException("open the store before reopening it"),
        loggerFactory: null);
}
