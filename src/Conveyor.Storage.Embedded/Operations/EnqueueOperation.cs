using System.Runtime.InteropServices;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>Enqueues a batch as one record: all or nothing.</summary>
internal sealed class EnqueueOperation(JobEnqueue request) : StoreOperation<EnqueueResult>
{
    /// <summary>Enqueues inside another operation (a schedule's tick), so its records share that operation's flush.</summary>
    public static EnqueueResult EnqueueWithin(OperationContext context, JobEnqueue request) => new EnqueueOperation(request).Run(context);

    protected override EnqueueResult Run(OperationContext context)
    {
        var table = context.Table;
        if (OverBudget(table.HeldBytes, context.MemoryBudget))
        {
            return EnqueueResult.StorageFull();
        }

        var now = context.Now;
        var results = new EnqueuedJob[request.Jobs.Count];
        var created = new JobEntry[request.Jobs.Count];
        var createdCount = 0;
        Dictionary<JobKey, JobEntry>? batchIds = null;
        Dictionary<string, JobKey>? batchUnique = null;

        // Ids within the batch are tracked only when a job brings its own: generated ids are unique.
        var trackIds = request.Jobs.Any(j => j.Id is not null);
        for (var i = 0; i < request.Jobs.Count; i++)
        {
            var spec = request.Jobs[i];
            JobKey? own = spec.Id is { } given ? JobKey.Of(given) : default(JobKey?);
            if (own is { } ownKey && (table.Find(ownKey) ?? InBatch(ownKey)) is { } existing)
            {
                // The same id is idempotent only for the same job: another type or other args would be silently dropped.
                if (!string.Equals(existing.Type, spec.Type, StringComparison.Ordinal) || !existing.Args.AsSpan().SequenceEqual(spec.Args.Span))
                {
                    return EnqueueResult.IdConflict(i);
                }

                results[i] = new EnqueuedJob(ownKey, false);
                continue;
            }

            if (spec.UniqueKey is not null)
            {
                var holder = table.UniqueHolder(spec.UniqueKey, now)?.Key;
                if (holder is null && batchUnique is not null && batchUnique.TryGetValue(spec.UniqueKey, out var inBatch))
                {
                    holder = inBatch;
                }

                if (holder is { } holderKey)
                {
                    results[i] = new EnqueuedJob(holderKey, false) { UniqueHeld = true };
                    continue;
                }
            }

            // A server-assigned id is kept as its value, in the table and in the answer.
            var key = own ?? JobKey.FromValue(JobIdGenerator.NewValue(Ticks.ToTime(now)));
            var runAt = spec.RunAt is { } at && at.UtcTicks > now ? at.UtcTicks : 0;
            var uniqueUntil = UniqueUntil(spec, now, runAt);
            string[] tags = spec.Tags.Count == 0 ? [] : [.. spec.Tags];
            KeyValuePair<string, string>[] meta = spec.Meta.Count == 0 ? [] : [.. spec.Meta];
            created[createdCount++] = table.NewEntry(
                key, spec.Queue, spec.Type, Own(spec.Args), spec.Priority, spec.MaxAttempts, spec.LeaseSeconds,
                runAt, spec.UniqueKey, uniqueUntil, tags, meta, spec.Backoff, discardWhenDead: !spec.Dead, now, spec.UniqueMode, spec.TimeoutSeconds ?? 0);
            if (trackIds)
            {
                (batchIds ??= [])[key] = created[createdCount - 1];
            }

            if (spec.UniqueKey is not null)
            {
                (batchUnique ??= new(StringComparer.Ordinal))[spec.UniqueKey] = key;
            }

            results[i] = new EnqueuedJob(key, true);
        }

        if (createdCount > 0)
        {
            // Usually every job is new: the array is handed over as it is, not copied.
            var jobs = createdCount == created.Length ? created : created[..createdCount];
            context.Emit(JobsEnqueued.Live(now, jobs));
            foreach (var job in jobs)
            {
                if (job.RunAt == 0)
                {
                    context.NotifyAvailable(job.Queue.Name);
                }
            }
        }

        return new EnqueueResult(results);

        JobEntry? InBatch(JobKey key) => batchIds is not null && batchIds.TryGetValue(key, out var entry) ? entry : null;
    }

    /// <summary>
    /// When the job's hold on its unique key ends at the latest (0: it has no key): the window counts from when the job is
    /// first due, so a scheduled job stays unique through its delay (as Faktory Enterprise's <c>unique_for</c>); no window
    /// holds for as long as the job's state does.
    /// </summary>
    private static long UniqueUntil(JobSpec spec, long now, long runAt)
    {
        if (spec.UniqueKey is null)
        {
            return 0;
        }

        return spec.UniqueForSeconds == 0 ? long.MaxValue : Math.Max(now, runAt) + TimeSpan.FromSeconds(spec.UniqueForSeconds).Ticks;
    }

    /// <summary>
    /// Whether the batch would take the table past its budget. Decided before anything else, so a full store refuses every
    /// enqueue alike (even one that would only find its id or unique key taken) and an idempotent retry gets the same answer.
    /// </summary>
    private bool OverBudget(long held, long budget)
    {
        if (budget == long.MaxValue)
        {
            return false;
        }

        var incoming = 0L;
        foreach (var spec in request.Jobs)
        {
            incoming += JobFootprint.Of(spec);
        }

        return held + incoming > budget;
    }

    /// <summary>The args' array when they span all of it (the spec hands its bytes over), else a copy.</summary>
    private static byte[] Own(ReadOnlyMemory<byte> args) =>
        MemoryMarshal.TryGetArray(args, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : args.ToArray();
}
