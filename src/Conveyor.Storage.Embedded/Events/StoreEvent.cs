namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// A decided change to the store's state: what one WAL record holds. Every choice (ids, tokens, times,
/// back-off jitter) is already made, so applying an event is deterministic and replay rebuilds exactly
/// the live state.
/// </summary>
internal abstract record StoreEvent
{
    public abstract RecordType Type { get; }
}
