namespace Conveyor.Storage.Embedded.Commands;

/// <summary>What a <see cref="QueueCommand"/> does.</summary>
internal enum QueueAction
{
    Pause,
    Resume,
    Purge,
}
