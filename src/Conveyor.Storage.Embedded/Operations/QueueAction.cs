namespace Conveyor.Storage.Embedded.Operations;

/// <summary>What a <see cref="QueueOperation"/> does.</summary>
internal enum QueueAction
{
    Pause,
    Resume,
    Purge,
}
