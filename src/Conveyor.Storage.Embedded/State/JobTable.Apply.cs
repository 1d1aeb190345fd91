using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.State;

/// <summary>Applying decided events: the only code that changes the state, live and on replay.</summary>
internal sealed partial class JobTable
{
    public void Apply(StoreEvent e)
    {
        switch (e)
        {
            case JobsEnqueued { Entries: { } entries }:
                foreach (var job in entries)
                {
                    AddNew(job);
                }

                break;
            case JobsEnqueued x:
                foreach (var job in x.Jobs)
                {
                    AddNew(EntryOf(job, x.At));
                }

                break;
            case JobsLeased x:
                foreach (var lease in x.Leases)
                {
                    var job = Touch(lease.Entry ?? Get(lease.Id));
                    Leave(job);
                    job.State = JobState.Active;
                    job.Attempt++;
                    job.RunAt = 0;
                    job.LeaseToken = lease.Token;
                    job.LeaseWorker = x.WorkerId;
                    job.LeaseExpiresAt = lease.ExpiresAt;
                    LastLeaseToken = Math.Max(LastLeaseToken, lease.Token);
                    Enter(job, JobState.Active);
                }

                break;
            case JobsSettled x:
                foreach (var settled in x.Jobs)
                {
                    Settle(Touch(settled.Entry ?? Get(settled.Id)), settled, x.At);
                }

                break;
            case LeaseExtended x:
                var extended = Touch(x.Id);
                extended.LeaseExpiresAt = x.ExpiresAt;
                EnqueueLease(extended);
                break;
            case JobCancelled x:
                var cancelled = Touch(x.Id);
                cancelled.FinishedAt = x.At;
                cancelled.RunAt = 0;
                MoveTo(cancelled, JobState.Cancelled);
                break;
            case JobRetried x:
                MakeAvailable(x.Id, x.At);
                break;
            case JobsPromoted x:
                MakeAvailable(x.Ids, x.At);
                break;
            case JobsPruned { Entries: { } entries }:
                foreach (var job in entries)
                {
                    Remove(Touch(job));
                }

                break;
            case JobsPruned x:
                Array.ForEach(x.Ids, Remove);
                break;
            case QueuePaused x:
                GetOrAddQueue(x.Name).Paused = true;
                break;
            case QueueResumed x:
                GetOrAddQueue(x.Name).Paused = false;
                break;
            case QueuePurged x:
                GetOrAddQueue(x.Name);
                Array.ForEach(x.Ids, Remove);
                break;
            case JobsKilled x:
                foreach (var id in x.Ids)
                {
                    var job = Touch(id);
                    job.RunAt = 0;
                    job.FinishedAt = x.At;
                    MoveTo(job, JobState.Dead);
                }

                break;
            case JobsDiscarded x:
                Array.ForEach(x.Ids, Remove);
                break;
            case JobsRequeued x:
                MakeAvailable(x.Ids, x.At);
                break;
            case StoreFlushed:
                Flush();
                break;
            default:
                throw new InvalidDataException($"unknown event {e.GetType().Name}");
        }
    }

    /// <summary>
    /// Every existing job an event changes is reached through here first, so a snapshot being written keeps the
    /// job as it was before the change (<see cref="SnapshotCut"/>).
    /// </summary>
    private JobEntry Touch(JobEntry job)
    {
        cut?.Preserve(job);
        return job;
    }

    private JobEntry Touch(JobKey id) => Touch(Get(id));

    /// <summary>Operator retry, promotion and requeue all make a job available now, first-come within its priority.</summary>
    private void MakeAvailable(JobKey id, long at)
    {
        var job = Touch(id);
        job.RunAt = 0;
        job.FinishedAt = 0;
        job.AvailableAt = at;
        MoveTo(job, JobState.Available);
    }

    private void MakeAvailable(JobKey[] ids, long at)
    {
        foreach (var id in ids)
        {
            MakeAvailable(id, at);
        }
    }

    private void Remove(JobKey id) => Remove(Touch(id));

    /// <summary>
    /// A new job's entry, not yet in the table (<see cref="Apply"/> adds it): the enqueue command makes them for
    /// <see cref="JobsEnqueued.Entries"/>, replay from the record's jobs. The job's queue is added to the table now if it
    /// is new. Nothing between this and the event's apply throws for a validated spec; were it left without its jobs, it would
    /// be an empty queue, as one whose jobs were all pruned is, and a batch that fails to commit reloads the state anyway.
    /// </summary>
    public JobEntry NewEntry(
        JobKey id, string queue, string type, byte[] args, int priority, int maxAttempts, int leaseSeconds, long runAt,
        string? uniqueKey, long uniqueUntil, string[] tags, KeyValuePair<string, string>[] meta, Backoff backoff, bool discardWhenDead, long at) => new()
    {
        Key = id,
        Queue = GetOrAddQueue(queue),
        Type = ShareType(type),
        Args = args,
        Priority = priority,
        MaxAttempts = maxAttempts,
        LeaseSeconds = leaseSeconds,
        CreatedAt = at,
        Backoff = backoff,
        DiscardWhenDead = discardWhenDead,
        UniqueKey = uniqueKey,
        UniqueUntil = uniqueUntil,
        Tags = tags,
        Meta = meta,
        State = runAt == 0 ? JobState.Available : JobState.Scheduled,
        RunAt = runAt,
    };

    private JobEntry EntryOf(NewJob spec, long at) => NewEntry(
        spec.Id, spec.Queue, spec.Type, spec.Args, spec.Priority, spec.MaxAttempts, spec.LeaseSeconds, spec.RunAt,
        spec.UniqueKey, spec.UniqueUntil, spec.Tags, spec.Meta, spec.Backoff, spec.DiscardWhenDead, at);

    private void AddNew(JobEntry job)
    {
        job.Seq = LastSeq + 1;
        job.ReadySeq = job.State == JobState.Available ? ++LastReadySeq : 0;
        job.AvailableAt = job.State == JobState.Available ? job.CreatedAt : 0;
        Add(job);
    }

    private void Settle(JobEntry job, SettledJob settled, long at)
    {
        if (settled.Failure is { } failure)
        {
            job.Failures ??= [];
            job.Failures.Add(failure);
            if (job.Failures.Count > JobFailure.HistoryLimit)
            {
                job.Failures.RemoveAt(0);
            }

            Failed++;
        }
        else
        {
            Processed++;
        }

        if (settled.Next == JobState.Dead && job.DiscardWhenDead)
        {
            // dead: false — the attempts ran out (fail or lease expiry), so the job goes, in this same record.
            Remove(job);
            return;
        }

        job.RunAt = settled.Next == JobState.Retrying ? settled.RunAt : 0;
        job.FinishedAt = settled.Next.IsTerminal() ? at : 0;
        MoveTo(job, settled.Next);
    }
}
