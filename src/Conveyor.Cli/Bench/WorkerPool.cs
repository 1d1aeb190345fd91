using System.Diagnostics;
using Conveyor.Contracts.Workers;

namespace Conveyor.Cli.Bench;

/// <summary>
/// Concurrent worker loops: <c>POST /v1/fetch</c> (up to <c>batch</c> jobs, long-polling <c>waitMs</c>), a
/// no-op handler, then one <c>POST /v1/settle</c> acking the whole fetch while the loop fetches again (as
/// the SDK's fetch loop and settler do). They stop once the pool has completed its target, or when the
/// token fires.
/// </summary>
internal sealed class WorkerPool(BenchHttp http, string queue, int batch, int waitMs) : IBenchWorkers
{
    private long completed;
    private long stale;

    /// <summary>From a fetch's request to its settle's answer.</summary>
    public LatencySamples CycleLatency { get; } = new();

    /// <summary>Enqueue call → handler start, for stamped jobs.</summary>
    public LatencySamples StartLatency { get; } = new();

    /// <summary>Enqueue call → settle acknowledged, for stamped jobs.</summary>
    public LatencySamples DoneLatency { get; } = new();

    public string CycleName => "fetch + settle";

    /// <summary>Acks the server did not apply (stale or unknown): should stay 0.</summary>
    public long Stale => Interlocked.Read(ref stale);

    public async Task<long> RunAsync(int workers, long target, ProgressCounter progress, CancellationToken cancellationToken)
    {
        await WorkerLoops.RunAsync(workers, (i, done) => LoopAsync($"bench-w{i}", target, progress, done), cancellationToken).ConfigureAwait(false);
        return Interlocked.Read(ref completed);
    }

    private async Task LoopAsync(string workerId, long target, ProgressCounter progress, CancellationTokenSource done)
    {
        var fetch = new FetchRequest { Queues = [queue], Max = batch, WaitMs = waitMs, WorkerId = workerId, OmitDefaults = true };
        Task settling = Task.CompletedTask;
        try
        {
            while (!done.IsCancellationRequested && Interlocked.Read(ref completed) < target)
            {
                var started = Stopwatch.GetTimestamp();
                var jobs = await http.FetchAsync(fetch, done.Token).ConfigureAwait(false);
                if (jobs.Count == 0)
                {
                    continue;
                }

                var handlerStart = Stopwatch.GetTimestamp();
                var acks = new SettleAck[jobs.Count];
                var stamps = new long?[jobs.Count];
                for (var i = 0; i < jobs.Count; i++)
                {
                    stamps[i] = JobFactory.ReadStamp(jobs[i].Args);
                    if (stamps[i] is { } stamp)
                    {
                        StartLatency.Add(handlerStart - stamp);
                    }

                    acks[i] = new SettleAck { Id = jobs[i].Id, Token = jobs[i].Lease?.Token };
                }

                // Like the SDK, the loop fetches again while the last batch is settled, with one settle
                // in flight at most.
                await settling.ConfigureAwait(false);
                settling = SettleAsync(acks, stamps, started, progress, target, done);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // The target was reached (other loops' long-polls end here) or the phase ran out of time.
        }

        await settling.ConfigureAwait(false);
    }

    private async Task SettleAsync(SettleAck[] acks, long?[] stamps, long started, ProgressCounter progress, long target, CancellationTokenSource done)
    {
        // Settle even when the target is reached meanwhile: these leases are ours.
        var settled = await http.SettleAsync(new SettleRequest { Ack = acks }, CancellationToken.None).ConfigureAwait(false);
        var finished = Stopwatch.GetTimestamp();
        CycleLatency.Add(finished - started);
        foreach (var stamp in stamps)
        {
            if (stamp is { } s)
            {
                DoneLatency.Add(finished - s);
            }
        }

        Interlocked.Add(ref stale, settled.Results.Count(r => r.Status != "ok"));
        progress.Add(acks.Length);
        if (Interlocked.Add(ref completed, acks.Length) >= target)
        {
            await done.CancelAsync().ConfigureAwait(false);
        }
    }
}
