namespace Conveyor.Storage.Embedded.State;

/// <summary>An intrusive FIFO of available jobs of one priority: O(1) append, pop and removal.</summary>
internal sealed class AvailableList
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
