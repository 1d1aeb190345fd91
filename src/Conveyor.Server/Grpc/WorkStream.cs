using System.Collections.Concurrent;
using System.Threading.Channels;
using Conveyor.Broker;
using Conveyor.Broker.Workers;
using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Grpc.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using SettleResult = Conveyor.Core.Storage.SettleResult;

namespace Conveyor.Server.Grpc;

/// <summary>
/// One worker's <c>Work</c> stream (docs/grpc.md, "The Work stream"). Four loops share it: the reader applies what the
/// worker sends; the fetcher long-polls the broker while credits last and pushes what it leases; the settler writes the
/// worker's acks, fails and lease extensions, as many as have queued up in one store write; the writer is the only one
/// that writes to the response stream. When the stream ends, the settles already received are written and every job
/// pushed and not settled is released (available again at once, attempt not counted).
/// </summary>
internal sealed partial class WorkStream
{
    /// <summary>Credits a worker may hold unused.</summary>
    public const int MaxCredits = 100_000;

    /// <summary>How often the stream renews the worker in the registry and looks for an operator's quiet or terminate.</summary>
    public static readonly TimeSpan RegistryInterval = TimeSpan.FromSeconds(1);

    private readonly JobBroker broker;
    private readonly WorkerRegistry registry;
    private readonly IAsyncStreamReader<WorkRequest> requests;
    private readonly IServerStreamWriter<WorkResponse> responses;
    private readonly ServerCallContext context;
    private readonly CancellationToken stopping;
    private readonly ILogger<WorkStream> logger;
    private readonly CancellationTokenSource session;
    private readonly ConcurrentDictionary<string, JobInfo> held = new(StringComparer.Ordinal);
    private readonly Channel<WorkResponse> outbox = Channel.CreateUnbounded<WorkResponse>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<WorkItem> writes = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim creditGranted = new(0);
    private readonly Lock stateLock = new();
    private string[] queues = [];
    private string? workerId;
    private long credits;
    private WorkerState state = WorkerState.Running;
    private CancellationTokenSource? fetchWait;
    private Exception? fault;

    public WorkStream(
        JobBroker broker, WorkerRegistry registry, IAsyncStreamReader<WorkRequest> requests, IServerStreamWriter<WorkResponse> responses,
        ServerCallContext context, CancellationToken stopping, ILogger<WorkStream> logger)
    {
        this.broker = broker;
        this.registry = registry;
        this.requests = requests;
        this.responses = responses;
        this.context = context;
        this.stopping = stopping;
        this.logger = logger;
        session = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
    }

    public async Task RunAsync()
    {
        try
        {
            if (!await requests.MoveNext(session.Token).ConfigureAwait(false))
            {
                return; // the worker closed without subscribing
            }

            var first = requests.Current;
            Subscribe(first.Subscribe ?? throw new RequestRejectedException("subscribe", "the first message must subscribe"));
            broker.JobCancelled += OnJobCancelled;
            try
            {
                await RunSubscribedAsync(first).ConfigureAwait(false);
            }
            finally
            {
                broker.JobCancelled -= OnJobCancelled;
            }
        }
        finally
        {
            session.Dispose();
        }
    }

    private async Task RunSubscribedAsync(WorkRequest first)
    {
        var writer = Task.Run(WriteLoopAsync);
        var settler = Task.Run(SettleLoopAsync);
        var fetcher = Task.Run(FetchLoopAsync);
        var ticker = Task.Run(RegistryLoopAsync);
        try
        {
            Apply(first, isFirst: true);
            while (await requests.MoveNext(session.Token).ConfigureAwait(false))
            {
                Apply(requests.Current, isFirst: false);
            }
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            // The client went away, its deadline passed, the server is stopping, or a loop failed (fault).
        }
        catch (IOException)
        {
            // The connection broke mid-message.
        }
        finally
        {
            // What the worker settled before the end is written; then nothing more is fetched, and the rest is handed back.
            writes.Writer.TryComplete();
            await settler.ConfigureAwait(false);
            await session.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(fetcher, ticker).ConfigureAwait(false);
            var unsettled = held.Values.ToArray();
            held.Clear();
            if (unsettled.Length > 0)
            {
                LogReleasing(unsettled.Length, workerId ?? "-");
                await broker.ReleaseAsync(unsettled).ConfigureAwait(false);
            }

            outbox.Writer.TryComplete();
            await writer.ConfigureAwait(false);
        }

        if (fault is not null)
        {
            throw fault;
        }

        if (stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the server is stopping; reconnect"));
        }
    }

    private void Subscribe(Subscribe subscribe)
    {
        if (subscribe.Queues.Count == 0)
        {
            throw new RequestRejectedException("subscribe.queues", "name at least one queue");
        }

        if (subscribe.Queues.Count > InputLimits.FetchQueues)
        {
            throw new RequestRejectedException("subscribe.queues", $"at most {InputLimits.FetchQueues} queues", tooLarge: true);
        }

        for (var i = 0; i < subscribe.Queues.Count; i++)
        {
            if (NameRules.Check(subscribe.Queues[i], InputLimits.QueueLength) is { } error)
            {
                throw new RequestRejectedException("subscribe.queues", $"queue {i} {error.Message}", tooLarge: error.TooLarge);
            }
        }

        if (subscribe.HasWorkerId)
        {
            if (NameRules.Check(subscribe.WorkerId, InputLimits.WorkerIdLength) is { } error)
            {
                throw new RequestRejectedException("subscribe.worker_id", error.Message, tooLarge: error.TooLarge);
            }

            ConveyorGrpcService.RequireWorkerId(subscribe.WorkerId);
            workerId = subscribe.WorkerId;
            var known = registry.Register(workerId, subscribe.HasHostname ? subscribe.Hostname : null, subscribe.HasPid ? subscribe.Pid : null, [.. subscribe.Labels]);
            state = known.State;
        }

        queues = [.. subscribe.Queues];
        if (state != WorkerState.Running)
        {
            outbox.Writer.TryWrite(ControlMessage(state == WorkerState.Quiet ? ControlKind.Quiet : ControlKind.Terminate, ""));
        }
    }

    private void Apply(WorkRequest request, bool isFirst)
    {
        if (!isFirst && request.Subscribe is not null)
        {
            throw new RequestRejectedException("subscribe", "only the first message subscribes");
        }

        if (request.Settle is { } settle && (settle.Acks.Count > 0 || settle.Fails.Count > 0))
        {
            writes.Writer.TryWrite(new WorkItem(ProtoRequestMapping.ToSettle(settle), null));
        }

        if (request.Heartbeat is { } heartbeat)
        {
            var leases = new JobHeartbeat[heartbeat.Leases.Count];
            for (var i = 0; i < leases.Length; i++)
            {
                leases[i] = ProtoRequestMapping.ToHeartbeat(heartbeat.Leases[i], "heartbeat.leases", i);
            }

            if (leases.Length > 0)
            {
                writes.Writer.TryWrite(new WorkItem(null, leases));
            }

            CheckRegistry();
        }

        if (request.Credit is { } credit)
        {
            if (credit.N is < 1 or > JobDefaults.MaxBatch)
            {
                throw new RequestRejectedException("credit.n", $"must be 1–{JobDefaults.MaxBatch}");
            }

            if (Interlocked.Add(ref credits, credit.N) > MaxCredits)
            {
                throw new RequestRejectedException("credit.n", $"at most {MaxCredits} credits may be unused at once", tooLarge: true);
            }

            creditGranted.Release();
        }
    }

    /// <summary>Leases jobs while credits last, one long-poll at a time, and pushes them.</summary>
    private async Task FetchLoopAsync()
    {
        var token = session.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var available = Interlocked.Read(ref credits);
                if (available <= 0 || state != WorkerState.Running)
                {
                    await creditGranted.WaitAsync(token).ConfigureAwait(false);
                    continue;
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
                lock (stateLock)
                {
                    if (state != WorkerState.Running)
                    {
                        continue;
                    }

                    fetchWait = wait;
                }

                IReadOnlyList<JobInfo> jobs;
                try
                {
                    jobs = await broker.FetchAsync(queues, (int)Math.Min(available, JobDefaults.MaxFetch), JobDefaults.MaxFetchWait, workerId, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (wait.IsCancellationRequested)
                {
                    continue; // quiet, or the stream is ending: the wait took nothing
                }
                finally
                {
                    lock (stateLock)
                    {
                        fetchWait = null;
                    }
                }

                if (jobs.Count == 0)
                {
                    continue;
                }

                var batch = new JobBatch();
                foreach (var job in jobs)
                {
                    held[job.Id] = job;
                    batch.Jobs.Add(job.ToProto());
                }

                Interlocked.Add(ref credits, -jobs.Count);
                outbox.Writer.TryWrite(new WorkResponse { Jobs = batch });
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The stream is ending.
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>Writes the worker's settles (all that queued up, in one store write) and lease extensions, in order.</summary>
    private async Task SettleLoopAsync()
    {
        var reader = writes.Reader;
        List<JobAck> acks = [];
        List<JobFail> fails = [];
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (reader.TryPeek(out var next))
                {
                    if (next.Settle is { } settle)
                    {
                        if (acks.Count + fails.Count > 0 && acks.Count + fails.Count + settle.Acks.Count + settle.Fails.Count > JobDefaults.MaxBatch)
                        {
                            break;
                        }

                        reader.TryRead(out _);
                        acks.AddRange(settle.Acks);
                        fails.AddRange(settle.Fails);
                        continue;
                    }

                    if (acks.Count + fails.Count > 0)
                    {
                        break; // settle what came before these extensions first
                    }

                    reader.TryRead(out _);
                    await ExtendAsync(next.Heartbeats!).ConfigureAwait(false);
                }

                if (acks.Count + fails.Count > 0)
                {
                    var results = await broker.SettleAsync(new JobSettle([.. acks], [.. fails])).ConfigureAwait(false);
                    acks.Clear();
                    fails.Clear();
                    foreach (var result in results)
                    {
                        held.TryRemove(result.Id.ToString(), out _);
                    }

                    outbox.Writer.TryWrite(new WorkResponse { Settled = ToResponse(results) });
                }
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private async Task ExtendAsync(JobHeartbeat[] leases)
    {
        var results = new HeartbeatResults();
        foreach (var lease in leases)
        {
            var result = await broker.HeartbeatAsync(lease).ConfigureAwait(false);
            var proto = new Conveyor.Grpc.V1.HeartbeatResult { Id = lease.Id, Status = ProtoJobMapping.ToProto(result.Status) };
            if (result.ExpiresAt is { } expiresAt)
            {
                proto.ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(expiresAt);
            }

            results.Results.Add(proto);
        }

        outbox.Writer.TryWrite(new WorkResponse { Extended = results });
    }

    /// <summary>The only writer of the response stream.</summary>
    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var message in outbox.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (!context.CancellationToken.IsCancellationRequested)
                {
                    await responses.WriteAsync(message).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The client is gone: end the stream (its unsettled jobs are released).
            await session.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Renews the worker in the registry while the stream is open, and hears an operator's quiet or terminate.</summary>
    private async Task RegistryLoopAsync()
    {
        if (workerId is null)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(RegistryInterval, broker.Time);
            while (await timer.WaitForNextTickAsync(session.Token).ConfigureAwait(false))
            {
                CheckRegistry();
            }
        }
        catch (OperationCanceledException)
        {
            // The stream is ending.
        }
    }

    private void CheckRegistry()
    {
        if (workerId is null)
        {
            return;
        }

        var asked = registry.Beat(workerId);
        lock (stateLock)
        {
            if (asked <= state)
            {
                return;
            }

            state = asked;
            fetchWait?.Cancel(); // a long-poll in progress ends without taking a job
        }

        outbox.Writer.TryWrite(ControlMessage(asked == WorkerState.Quiet ? ControlKind.Quiet : ControlKind.Terminate, ""));
        creditGranted.Release(); // wake the fetcher so it sees the state
    }

    private void OnJobCancelled(string id)
    {
        if (held.TryRemove(id, out _))
        {
            outbox.Writer.TryWrite(ControlMessage(ControlKind.Cancel, id));
        }
    }

    private void Fail(Exception exception)
    {
        Interlocked.CompareExchange(ref fault, exception, null);
        try
        {
            session.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }

    internal static SettleResponse ToResponse(IReadOnlyList<SettleResult> results)
    {
        var response = new SettleResponse();
        foreach (var result in results)
        {
            response.Results.Add(new Conveyor.Grpc.V1.SettleResult { Id = result.Id.ToString(), Status = ProtoJobMapping.ToProto(result.Status) });
        }

        return response;
    }

    private static WorkResponse ControlMessage(ControlKind kind, string jobId) => new() { Control = new Control { Kind = kind, JobId = jobId } };

    [LoggerMessage(Level = LogLevel.Information, Message = "Work stream of worker {WorkerId} ended with {Count} jobs unsettled; releasing them")]
    private partial void LogReleasing(int count, string workerId);

    /// <summary>A settle or a set of lease extensions, in the order the worker sent them.</summary>
    private sealed record WorkItem(JobSettle? Settle, JobHeartbeat[]? Heartbeats);
}
