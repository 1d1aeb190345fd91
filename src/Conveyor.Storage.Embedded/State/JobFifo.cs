namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// An intrusive FIFO of jobs through their <see cref="JobEntry.Prev"/>/<see cref="JobEntry.Next"/> links: O(1) append
/// and removal, no memory of its own. A job is in at most one: its queue's available list of its priority while it is
/// available, the table's list of its finished state (completed, dead, cancelled) while it is in one.
/// </summary>
internal sealed class JobFifo
{
    public JobEntry? Head { get; private set; }

    public JobEntry? Tail { get; private set; }

    public int Count { get; private set; }

    public void Append(JobEntry job)
    {
        job.Prev = Tail;
        job.Next = null;
        if (Tail is null)
        {
            Head = job;
        }
        else
        {
            Tail.Next = job;
        }

        Tail = job;
        Count++;
    }

    /// <summary>Forgets every job at once; their links are left as they are (the jobs are dropped with the list).</summary>
    public void Clear()
    {
        Head = null;
        Tail = null;
        Count = 0;
    }

    public void Remove(JobEntry job)
    {
        if (job.Prev is null)
        {
            Head = job.Next;
        }
        else
        {
            job.Prev.Next = job.Next;
        }

        if (job.Next is null)
        {
            Tail = job.Prev;
        }
        else
        {
            job.Next.Prev = job.Prev;
        }

        job.Prev = null;
        job.Next = null;
        Count--;
    }
}
