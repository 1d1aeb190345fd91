using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// A batch of new jobs, created at <paramref name="At"/>. Written as type 1 unless a job carries a flag, then
/// as type 15 (the same payload plus a flags byte per job), or a unique mode or timeout, then as type 19 (type 15's
/// payload plus a mode byte and a timeout per job), so logs without them stay readable by older binaries.
/// </summary>
/// <remarks>
/// Replay (and the table tests) give the jobs as <paramref name="Jobs"/>. The enqueue command gives them as
/// <see cref="Entries"/> instead, made by <see cref="JobTable.NewEntry"/> (<see cref="Live"/>): applying adds them as
/// they are and the record is encoded from them, so a job is not first built as a <see cref="NewJob"/> too.
/// </remarks>
internal sealed record JobsEnqueued(long At, NewJob[] Jobs) : StoreEvent
{
    public override RecordType Type =>
        (Entries is { } entries ? Array.Exists(entries, job => job.UniqueMode != UniqueMode.UntilFinished || job.TimeoutSeconds != 0)
            : Array.Exists(Jobs, job => job.UniqueMode != UniqueMode.UntilFinished || job.TimeoutSeconds != 0))
            ? RecordType.JobsEnqueuedWithOptions
            : (Entries is { } flagged ? Array.Exists(flagged, job => job.DiscardWhenDead) : Array.Exists(Jobs, job => job.DiscardWhenDead))
                ? RecordType.JobsEnqueuedWithFlags
                : RecordType.JobsEnqueued;

    /// <summary>The new jobs' entries, not yet in the table, when the enqueue command made them; then <see cref="Jobs"/> is empty.</summary>
    public JobEntry[]? Entries { get; private init; }

    /// <summary>The event of the enqueue command: <paramref name="entries"/> from <see cref="JobTable.NewEntry"/>.</summary>
    public static JobsEnqueued Live(long at, JobEntry[] entries) => new(at, []) { Entries = entries };
}
