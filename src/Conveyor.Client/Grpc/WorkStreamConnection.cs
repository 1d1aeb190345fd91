using System.Threading.Channels;
using Conveyor.Client.Grpc.V1;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Workers;
using Grpc.Core;
using HeartbeatRequest = Conveyor.Client.Grpc.V1.HeartbeatRequest;
using ProtoSettleStatus = Conveyor.Client.Grpc.V1.SettleStatus;
using SettleRequest = Conveyor.Client.Grpc.V1.SettleRequest;

namespace Conveyor.Client.Grpc;

/// <summary>
/// One queue's <c>Work</c> stream (docs/grpc.md). Fetching grants credits so that credits outstanding plus jobs pushed and
/// not yet taken never exceed the queue's free slots; pushed jobs wait in an inbox for the next fetch. Settles and lease
/// extensions go on the stream and their answers are matched by job id. When the stream ends the server has released
/// every job it pushed and that was not settled: those are reported lost so their handlers stop, and the next fetch opens
/// a new stream.
/// </summary>
internal sealed class WorkStreamConnection
{
    private readonly AsyncDuplexStreamingCall<WorkRequest, WorkResponse> call;
    private readonly Channel<WorkRequest> outbox = Channel.CreateUnbounded<WorkRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<JobView> inbox = new();
    private readonly Dictionary<string, string> held = new(StringComparer.Ordinal);
    private readonly PendingById<ProtoSettleStatus> settles = new();
    private readonly PendingById<HeartbeatResult> extensions = new();
    private readonly Lock gate = new();
    private readonly Action<WorkStreamConnection, string, string, string> leaseLost;
    private readonly Action<string> control;
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long outstanding;
    private bool quiet;
    private bool closing;
    private Exception? ended;
    private Task writer = Task.CompletedTask;
    private Task reader = Task.CompletedTask;

    /// <param name="call">The opened call.</param>
    /// <param name="leaseLost">Told (this, id, token, reason) when a held lease is gone: cancelled, or the stream ended.</param>
    /// <param name="control">Told <c>quiet</c> or <c>terminate</c> when the server asks.</param>
    public WorkStreamConnection(AsyncDuplexStreamingCall<WorkRequest, WorkResponse> call, Action<WorkStreamConnection, string, string, string> leaseLost, Action<string> control)
    {
        this.call = call;
        this.leaseLost = leaseLost;
        this.control = control;
    }

    public bool IsOver
    {
        get
        {
            lock (gate)
            {
                return ended is not null;
            }
        }
    }

    /// <summary>Why the stream ended and how many running jobs it took with it; null while it runs.</summary>
    public (Exception Reason, int Lost)? Ending { get; private set; }

    /// <summary>Subscribes and starts the loops; throws when the server cannot be reached.</summary>
    public async Task StartAsync(Subscribe subscribe, CancellationToken cancellationToken)
    {
        await call.RequestStream.WriteAsync(new WorkRequest { Subscribe = subscribe }, cancellationToken).ConfigureAwait(false);
        writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        reader = Task.Run(ReadLoopAsync, CancellationToken.None);
    }

    public async Task<IReadOnlyList<JobView>> FetchAsync(int max, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var grant = 0;
        lock (gate)
        {
            ThrowIfOver();
            if (!quiet)
            {
                grant = (int)Math.Max(0, max - outstanding - inbox.Count);
                outstanding += grant;
            }
        }

        if (grant > 0)
        {
            outbox.Writer.TryWrite(new WorkRequest { Credit = new Credit { N = grant } });
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = Task.Delay(wait, time, stopWaiting.Token);
        try
        {
            while (true)
            {
                Task next;
                lock (gate)
                {
                    if (inbox.Count > 0)
                    {
                        var jobs = new JobView[Math.Min(max, inbox.Count)];
                        for (var i = 0; i < jobs.Length; i++)
                        {
                            jobs[i] = inbox.Dequeue();
                        }

                        return jobs;
                    }

                    ThrowIfOver();
                    next = arrived.Task;
                }

                if (await Task.WhenAny(next, timeout).ConfigureAwait(false) == timeout)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    return [];
                }
            }
        }
        finally
        {
            await stopWaiting.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends acks and fails of jobs this stream pushed; the results in the order given (acks, then fails).</summary>
    public async Task<IReadOnlyList<SettleItemResult>> SettleAsync(IReadOnlyList<SettleAck> acks, IReadOnlyList<SettleFail> fails)
    {
        var request = new SettleRequest();
        var answers = new List<(string Id, Task<ProtoSettleStatus> Status)>(acks.Count + fails.Count);
        foreach (var ack in acks)
        {
            var proto = ToProto(ack);
            request.Acks.Add(proto);
            answers.Add((proto.Id, settles.Add(proto.Id)));
        }

        foreach (var fail in fails)
        {
            var proto = ToProto(fail);
            request.Fails.Add(proto);
            answers.Add((proto.Id, settles.Add(proto.Id)));
        }

        Send(new WorkRequest { Settle = request });
        var results = new SettleItemResult[answers.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = new SettleItemResult(answers[i].Id, ToName(await answers[i].Status.ConfigureAwait(false)));
        }

        return results;
    }

    public static Ack ToProto(SettleAck ack)
    {
        var proto = new Ack { Id = ack.Id ?? string.Empty, Token = ack.Token ?? string.Empty };
        if (ack.Result is { } result)
        {
            proto.Result = Google.Protobuf.ByteString.CopyFrom(result.Utf8.Span);
        }

        return proto;
    }

    public static Fail ToProto(SettleFail fail)
    {
        var proto = new Fail { Id = fail.Id ?? string.Empty, Token = fail.Token ?? string.Empty, Message = fail.Message ?? string.Empty };
        if (fail.ErrorType is { } errorType)
        {
            proto.ErrorType = errorType;
        }

        if (fail.Backtrace is { } backtrace)
        {
            proto.Backtrace.Add(backtrace);
        }

        if (fail.RetryInMs is { } retryIn)
        {
            proto.RetryInMs = retryIn;
        }

        if (fail.Retry is { } retry)
        {
            proto.Retry = retry;
        }

        return proto;
    }

    /// <summary>Extends a lease this stream pushed; throws as the HTTP heartbeat does when it is gone.</summary>
    public async Task<DateTimeOffset> HeartbeatAsync(string id, string token, int? extendSeconds)
    {
        var lease = new HeartbeatRequest { Id = id, Token = token };
        if (extendSeconds is { } seconds)
        {
            lease.ExtendSeconds = seconds;
        }

        var answer = extensions.Add(id);
        var heartbeat = new WorkHeartbeat();
        heartbeat.Leases.Add(lease);
        Send(new WorkRequest { Heartbeat = heartbeat });
        var result = await answer.ConfigureAwait(false);
        return result.Status switch
        {
            ProtoSettleStatus.Ok => result.ExpiresAt.ToDateTimeOffset(),
            ProtoSettleStatus.Stale => throw GrpcErrorMapping.StaleLease(id),
            _ => throw GrpcErrorMapping.NotFound(id),
        };
    }

    /// <summary>Ends the stream: what was sent is written by the server, then it releases what was not settled.</summary>
    public async Task CloseAsync(TimeSpan grace)
    {
        lock (gate)
        {
            closing = true;
        }

        outbox.Writer.TryComplete();
        try
        {
            await Task.WhenAll(writer, reader).WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The server did not finish in time; dropping the call releases the jobs all the same.
        }

        call.Dispose();
        await Task.WhenAll(writer, reader).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Send(WorkRequest request)
    {
        if (!outbox.Writer.TryWrite(request))
        {
            throw new IOException("the Work stream is closed");
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var request in outbox.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or OperationCanceledException)
        {
            End(e);
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception reason = new IOException("the server ended the Work stream");
        try
        {
            await foreach (var response in call.ResponseStream.ReadAllAsync().ConfigureAwait(false))
            {
                Handle(response);
            }
        }
        catch (Exception e) when (e is RpcException or IOException or InvalidOperationException or OperationCanceledException)
        {
            reason = e;
        }

        End(reason);
    }

    private void Handle(WorkResponse response)
    {
        switch (response.KindCase)
        {
            case WorkResponse.KindOneofCase.Jobs:
                lock (gate)
                {
                    foreach (var job in response.Jobs.Jobs)
                    {
                        var view = ProtoJobReader.ToView(job);
                        held[view.Id] = view.Lease?.Token ?? string.Empty;
                        inbox.Enqueue(view);
                        outstanding--;
                    }

                    arrived.TrySetResult();
                    arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                break;
            case WorkResponse.KindOneofCase.Settled:
                foreach (var result in response.Settled.Results)
                {
                    lock (gate)
                    {
                        held.Remove(result.Id);
                    }

                    settles.Complete(result.Id, result.Status);
                }

                break;
            case WorkResponse.KindOneofCase.Extended:
                foreach (var result in response.Extended.Results)
                {
                    extensions.Complete(result.Id, result);
                }

                break;
            case WorkResponse.KindOneofCase.Control:
                OnControl(response.Control);
                break;
        }
    }

    private void OnControl(Control message)
    {
        if (message.Kind == ControlKind.Cancel)
        {
            string? token;
            lock (gate)
            {
                if (!held.Remove(message.JobId, out token))
                {
                    return;
                }

                // Pushed but not yet taken: it never starts.
                var waiting = inbox.Count;
                for (var i = 0; i < waiting; i++)
                {
                    var job = inbox.Dequeue();
                    if (job.Id != message.JobId)
                    {
                        inbox.Enqueue(job);
                    }
                }
            }

            leaseLost(this, message.JobId, token, "cancelled");
            return;
        }

        lock (gate)
        {
            quiet = true;
        }

        control(message.Kind == ControlKind.Terminate ? "terminate" : "quiet");
    }

    private void End(Exception reason)
    {
        KeyValuePair<string, string>[] lost;
        bool report;
        lock (gate)
        {
            if (ended is not null)
            {
                return;
            }

            ended = reason;
            report = !closing;
            lost = [.. held];
            Ending = (reason, lost.Length);
            held.Clear();
            inbox.Clear();
            arrived.TrySetResult();
        }

        outbox.Writer.TryComplete();
        var over = new IOException("the Work stream ended", reason);
        settles.FailAll(over);
        extensions.FailAll(over);
        if (report)
        {
            foreach (var (id, token) in lost)
            {
                leaseLost(this, id, token, "lost");
            }
        }
    }

    private void ThrowIfOver()
    {
        if (ended is not null)
        {
            throw new IOException("the Work stream ended", ended);
        }
    }

    private static string ToName(ProtoSettleStatus status) => status switch
    {
        ProtoSettleStatus.Ok => "ok",
        ProtoSettleStatus.Stale => "stale",
        _ => "unknown",
    };
}
