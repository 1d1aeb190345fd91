using System.Collections.Concurrent;

namespace Conveyor.Broker.Workers;

/// <summary>
/// The worker processes seen lately (Faktory's BEAT), and what an operator asked of each (quiet,
/// terminate). In memory only: after a restart workers re-register on their next heartbeat. A worker not
/// heard from for <see cref="Expiry"/> drops off the list.
/// </summary>
public sealed class WorkerRegistry(TimeProvider time)
{
    /// <summary>How long a silent worker stays listed.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, WorkerInfo> workers = new(StringComparer.Ordinal);
    private long reaped;

    /// <summary>Workers dropped off the list for silence since start.</summary>
    public long Reaped => Interlocked.Read(ref reaped);

    /// <summary>Records a worker's handshake (or refreshes it), keeping any state an operator requested.</summary>
    public WorkerInfo Register(string wid, string? hostname, int? pid, IReadOnlyList<string> labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(wid);
        var now = time.GetUtcNow();
        return workers.AddOrUpdate(
            wid,
            _ => new WorkerInfo(wid, hostname, pid, labels, now, now, WorkerState.Running),
            (_, old) => old with { Hostname = hostname, Pid = pid, Labels = labels, LastBeat = now });
    }

    /// <summary>Records a heartbeat and returns what the worker should do (registering it if unknown).</summary>
    public WorkerState Beat(string wid)
    {
        ArgumentException.ThrowIfNullOrEmpty(wid);
        var now = time.GetUtcNow();
        return workers.AddOrUpdate(
            wid,
            _ => new WorkerInfo(wid, null, null, [], now, now, WorkerState.Running),
            (_, old) => old with { LastBeat = now }).State;
    }

    /// <summary>Asks a listed worker to quiet or terminate (never back to running); false when it is not listed.</summary>
    public bool Request(string wid, WorkerState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(wid);
        while (Find(wid) is { } current)
        {
            var next = current with { State = (WorkerState)Math.Max((int)current.State, (int)state) };
            if (workers.TryUpdate(wid, next, current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One listed worker, or null.</summary>
    public WorkerInfo? Find(string wid)
    {
        Sweep();
        return workers.TryGetValue(wid, out var worker) ? worker : null;
    }

    /// <summary>The workers heard from within <see cref="Expiry"/>, by id.</summary>
    public IReadOnlyList<WorkerInfo> List()
    {
        Sweep();
        return [.. workers.Values.OrderBy(w => w.Wid, StringComparer.Ordinal)];
    }

    private void Sweep()
    {
        var cutoff = time.GetUtcNow() - Expiry;
        foreach (var (wid, worker) in workers)
        {
            if (worker.LastBeat < cutoff)
            {
                if (workers.TryRemove(new KeyValuePair<string, WorkerInfo>(wid, worker)))
                {
                    Interlocked.Increment(ref reaped);
                }
            }
        }
    }
}
