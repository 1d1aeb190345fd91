namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// A batch of new jobs, created at <paramref name="At"/>. Written as type 1 unless a job carries a flag, then
/// as type 15 (the same payload plus a flags byte per job), so logs without flags stay readable by older binaries.
/// </summary>
internal sealed record JobsEnqueued(long At, NewJob[] Jobs) : StoreEvent
{
    public override RecordType Type =>
        Array.Exists(Jobs, job => job.DiscardWhenDead) ? RecordType.JobsEnqueuedWithFlags : RecordType.JobsEnqueued;
}
