namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// What the record closing a flush in a version 2 or later segment says: the segment offset where the flush began, and how
/// much of the segment was durable (fsynced) when it was written. Recovery uses the second to tell a hole a power
/// cut left in unsynced data (drop it) from damage to data that had been made durable (corruption).
/// </summary>
internal readonly record struct FlushMarker(long Start, long DurableThrough);
