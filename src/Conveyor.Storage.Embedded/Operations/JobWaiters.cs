using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// The parked waits for jobs to finish, by job, owned by the writer loop. The table tells <see cref="Watch"/> when a
/// watched job finishes or goes; the writer then answers that job's waits (<see cref="TakeServed"/>).
/// </summary>
internal sealed class JobWaiters
{
    private const int MinCompact = 64;

    private readonly Dictionary<JobKey, List<WaitForFinishOperation>> byJob = [];
    private int count;
    private int compactAt = MinCompact;

    public FinishWatch Watch { get; } = new();

    public void Add(JobKey key, WaitForFinishOperation wait)
    {
        // Callers that gave up leave their wait behind: sweep them whenever the count has doubled, so the
        // waits held stay about the number of live ones even when the jobs never finish.
        if (count >= compactAt)
        {
            Compact();
        }

        if (!byJob.TryGetValue(key, out var waits))
        {
            waits = [];
            byJob[key] = waits;
            Watch.Watch(key);
        }

        waits.Add(wait);
        count++;
    }

    /// <summary>
    /// The waits whose job finished or went in this batch, answered from <paramref name="table"/> (not completed: the
    /// writer completes them after the commit). A job that is unfinished again by now (retried) keeps its waits.
    /// </summary>
    public List<WaitForFinishOperation> TakeServed(JobTable table)
    {
        List<WaitForFinishOperation> served = [];
        if (!Watch.HasFinished)
        {
            return served;
        }

        foreach (var key in Watch.TakeFinished())
        {
            if (table.Find(key) is { } job && !job.State.IsTerminal())
            {
                continue;
            }

            if (byJob.Remove(key, out var waits))
            {
                Watch.Unwatch(key);
                count -= waits.Count;
                foreach (var wait in waits)
                {
                    if (!wait.IsDone)
                    {
                        wait.Serve(table);
                        served.Add(wait);
                    }
                }
            }
        }

        return served;
    }

    /// <summary>Every parked wait, removed (the store closes or stops).</summary>
    public List<WaitForFinishOperation> TakeAll()
    {
        List<WaitForFinishOperation> all = [.. byJob.Values.SelectMany(w => w)];
        foreach (var key in byJob.Keys)
        {
            Watch.Unwatch(key);
        }

        byJob.Clear();
        count = 0;
        return all;
    }

    private void Compact()
    {
        List<JobKey>? empty = null;
        count = 0;
        foreach (var (key, waits) in byJob)
        {
            waits.RemoveAll(w => w.IsDone);
            count += waits.Count;
            if (waits.Count == 0)
            {
                (empty ??= []).Add(key);
            }
        }

        foreach (var key in empty ?? [])
        {
            byJob.Remove(key);
            Watch.Unwatch(key);
        }

        compactAt = Math.Max(MinCompact, count * 2);
    }
}
