namespace Conveyor.Storage.Embedded;

/// <summary>When the embedded store answers a write.</summary>
public enum DurabilityMode
{
    /// <summary>After the write is fsynced (default): an acknowledged write survives power loss.</summary>
    Sync,

    /// <summary>After the write reaches the OS; fsync every <see cref="EmbeddedStoreOptions.SyncInterval"/>.</summary>
    Interval,

    /// <summary>After the write reaches the OS; never fsync (tests, throw-away data).</summary>
    None,
}
