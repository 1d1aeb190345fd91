using Conveyor.Core.Cron;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>A schedule created, replaced, paused or resumed at <paramref name="At"/>: its whole definition as it now is.</summary>
internal sealed record CronSaved(CronSchedule Schedule, long At) : StoreEvent
{
    public override RecordType Type => RecordType.CronSaved;
}
