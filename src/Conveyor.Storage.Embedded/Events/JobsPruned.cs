using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>Finished jobs removed by retention.</summary>
internal sealed record JobsPruned(JobKey[] Ids) : StoreEvent
{
    public override RecordType Type => RecordType.JobsPruned;

    /// <summary>
    /// The jobs as retention found them, in the order of <see cref="Ids"/>, so applying skips a lookup per job in the
    /// million-entry table; never encoded (replay looks the ids up).
    /// </summary>
    public IReadOnlyList<JobEntry>? Entries { get; init; }
}
