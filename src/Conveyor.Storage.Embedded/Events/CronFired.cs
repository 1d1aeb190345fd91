namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// Schedule <paramref name="Name"/> fired its tick <paramref name="Tick"/> at <paramref name="At"/>. The fire operation
/// logs the tick's <see cref="JobsEnqueued"/> just before it, in the same flush, which recovery replays whole or not at all.
/// </summary>
internal sealed record CronFired(string Name, long Tick, long At) : StoreEvent
{
    public override RecordType Type => RecordType.CronFired;
}
