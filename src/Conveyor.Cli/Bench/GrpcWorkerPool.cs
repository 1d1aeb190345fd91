using System.Diagnostics;
using System.Threading.Channels;
using Conveyor.Grpc.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Conveyor.Cli.Bench;

/// <summary>
/// Worker loops that drain a queue over the gRPC <c>Work</c> stream, one stream (on its own HTTP/2 connection, as a
/// worker process has) per worker: subscribe with <c>credits</c>, run a no-op handler on each pushed job and ack it as
/// that handler ends, granting one credit back with each ack. Acks that pile up while the previous write is under way go
/// out in one message, as the protocol allows. They stop once the pool has completed its target, or when the token fires.
/// </summary>
internal sealed class GrpcWorkerPool(Uri address, string queue, int credits) : IBenchWorkers
{
    private long completed;
    private long stale;

    /// <summary>From a job's arrival on the stream to its ack's <c>OK</c>.</summary>
    public LatencySamples CycleLatency { get; } = new();

    public string CycleName => "pushed → ack OK";

    public LatencySamples StartLatency { get; } = new();

    public LatencySamples DoneLatency { get; } = new();

    public long Stale => Interlocked.Read(ref stale);

    public async Task<long> RunAsync(int workers, long target, ProgressCounter progress, CancellationToken cancellationToken)
    {
        await WorkerLoops.RunAsync(workers, (i, done) => LoopAsync($"bench-gw{i}", target, progress, done), cancellationToken).ConfigureAwait(false);
        return Interlocked.Read(ref completed);
    }

    private async Task LoopAsync(string workerId, long target, ProgressCounter progress, CancellationTokenSource done)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = false },
        });
        var client = new ConveyorService.ConveyorServiceClient(channel);
        using var call = client.Work(cancellationToken: done.Token);
        var acks = Channel.CreateUnbounded<Ack>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        // The job's arrival and its enqueue stamp, until its ack is answered; only this loop's reader touches it.
        var inHand = new Dictionary<string, (long Arrived, long? Stamp)>();
        var subscribe = new WorkRequest { Subscribe = new Subscribe { Queues = { queue }, WorkerId = workerId }, Credit = new Credit { N = credits } };
        await call.RequestStream.WriteAsync(subscribe, done.Token).ConfigureAwait(false);
        var writing = WriteAcksAsync(call.RequestStream, acks.Reader, done.Token);
        try
        {
            while (await call.ResponseStream.MoveNext(done.Token).ConfigureAwait(false))
            {
                var response = call.ResponseStream.Current;
                if (response.KindCase == WorkResponse.KindOneofCase.Jobs)
                {
                    foreach (var job in response.Jobs.Jobs)
                    {
                        // The handler: a no-op that starts (and ends) now.
                        var started = Stopwatch.GetTimestamp();
                        var stamp = JobFactory.ReadStamp(job.Args.Span);
                        if (stamp is { } s)
                        {
                            StartLatency.Add(started - s);
                        }

                        inHand[job.Id] = (started, stamp);
                        acks.Writer.TryWrite(new Ack { Id = job.Id, Token = job.Lease?.Token ?? "" });
                    }
                }
                else if (response.KindCase == WorkResponse.KindOneofCase.Settled)
                {
                    await OnSettledAsync(response.Settled, inHand, progress, target, done).ConfigureAwait(false);
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && done.IsCancellationRequested)
        {
            // The target was reached (the other streams end here) or the phase ran out of time.
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }

        acks.Writer.TryComplete();
        try
        {
            await writing.ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is OperationCanceledException || ex is RpcException { StatusCode: StatusCode.Cancelled }) && done.IsCancellationRequested)
        {
        }
    }

    private async Task OnSettledAsync(SettleResponse settled, Dictionary<string, (long Arrived, long? Stamp)> inHand, ProgressCounter progress, long target, CancellationTokenSource done)
    {
        var finished = Stopwatch.GetTimestamp();
        foreach (var result in settled.Results)
        {
            if (inHand.Remove(result.Id, out var job))
            {
                CycleLatency.Add(finished - job.Arrived);
                if (job.Stamp is { } s)
                {
                    DoneLatency.Add(finished - s);
                }
            }

            if (result.Status != SettleStatus.Ok)
            {
                Interlocked.Increment(ref stale);
            }
        }

        progress.Add(settled.Results.Count);
        if (Interlocked.Add(ref completed, settled.Results.Count) >= target)
        {
            await done.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One message per write: every ack waiting when the last write ended, with as many credits back.</summary>
    private static async Task WriteAcksAsync(IClientStreamWriter<WorkRequest> stream, ChannelReader<Ack> acks, CancellationToken cancellationToken)
    {
        while (await acks.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var settle = new SettleRequest();
            while (acks.TryRead(out var ack))
            {
                settle.Acks.Add(ack);
            }

            await stream.WriteAsync(new WorkRequest { Settle = settle, Credit = new Credit { N = settle.Acks.Count } }, cancellationToken).ConfigureAwait(false);
        }
    }
}
