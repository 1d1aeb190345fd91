using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Broker;

/// <summary>The operator commands over many jobs (Faktory's MUTATE and FLUSH).</summary>
public sealed partial class JobBroker
{
    /// <summary>Sends the scheduled or retrying jobs among <paramref name="ids"/> to dead; returns how many moved.</summary>
    public ValueTask<int> KillAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        store.KillAsync(new JobsKill(CheckIds(ids)), cancellationToken);

    /// <summary>Deletes the jobs among <paramref name="ids"/> that are not active; returns how many.</summary>
    public ValueTask<int> DiscardAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        store.DiscardAsync(new JobsDiscard(CheckIds(ids)), cancellationToken);

    /// <summary>Makes the scheduled, retrying or dead jobs among <paramref name="ids"/> available now; returns how many.</summary>
    public ValueTask<int> RequeueAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default) =>
        store.RequeueAsync(new JobsRequeue(CheckIds(ids)), cancellationToken);

    private static IReadOnlyList<string> CheckIds(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Count <= JobDefaults.MaxBatch
            ? ids
            : throw new RequestRejectedException("ids", $"at most {JobDefaults.MaxBatch} jobs in one call");
    }
}
