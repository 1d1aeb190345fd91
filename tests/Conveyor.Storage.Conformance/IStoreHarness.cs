using Conveyor.Core.Storage;

namespace Conveyor.Storage.Conformance;

/// <summary>How a store's test project opens (and reopens) its store for every conformance area.</summary>
public interface IStoreHarness : IDisposable
{
    /// <summary>Opens an empty store with <paramref name="settings"/>.</summary>
    ValueTask<IJobStore> OpenAsync(JobStoreSettings settings);

    /// <summary>Closes <paramref name="store"/> and opens it again on the same data and settings.</summary>
    ValueTask<IJobStore> ReopenAsync(IJobStore store);
}
