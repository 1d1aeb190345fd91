namespace Conveyor.Storage.Embedded.Events;

/// <summary>The WAL record types (the frame's type byte). Persisted: never renumber.</summary>
internal enum RecordType : byte
{
    JobsEnqueued = 1,
    JobsLeased = 2,
    JobsSettled = 3,
    LeaseExtended = 4,
    JobCancelled = 5,
    JobRetried = 6,
    JobsPromoted = 7,
    JobsPruned = 8,
    QueuePaused = 9,
    QueueResumed = 10,
    QueuePurged = 11,
    JobsKilled = 12,
    JobsDiscarded = 13,
    JobsRequeued = 14,
    JobsEnqueuedWithFlags = 15,
    StoreFlushed = 16,
    QueueRemoved = 17,
    LeasesReleased = 18,
    JobsEnqueuedWithOptions = 19,
    JobProgressed = 21,
    JobsSettledWithResults = 22,
    CronSaved = 23,
    CronDeleted = 24,
    CronFired = 25,
    LeaseTokensSkipped = 26,
}
