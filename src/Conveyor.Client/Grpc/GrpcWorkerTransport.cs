using System.Collections.Concurrent;
using Conveyor.Client.Grpc.V1;
using Conveyor.Client.Worker;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Workers;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using HeartbeatRequest = Conveyor.Client.Grpc.V1.HeartbeatRequest;
using ProtoSettleRequest = Conveyor.Client.Grpc.V1.SettleRequest;
using SettleRequest = Conveyor.Contracts.Workers.SettleRequest;

namespace Conveyor.Client.Grpc;

/// <summary>
/// The worker over gRPC: one <c>Work</c> stream per queue (credits = the queue's free slots), opened on the first fetch
/// and again after it breaks (the fetch loop's back-off paces the retries). Settles and heartbeats go on the stream that
/// pushed the job; those of a job whose stream is gone use the unary calls (the server answers stale). Progress uses
/// the unary <c>ReportProgress</c>. Cancels arrive on the stream and are raised at once as <see cref="LeaseLost"/>.
/// </summary>
internal sealed class GrpcWorkerTransport : IWorkerTransport
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);
    private static readonly Method<byte[], byte[]> HealthCheck = new(
        MethodType.Unary, "grpc.health.v1.Health", "Check", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    private readonly GrpcChannel channel;
    private readonly ConveyorService.ConveyorServiceClient client;
    private readonly Metadata? headers;
    private readonly ConveyorWorkerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Action<string> control;
    private readonly ConcurrentDictionary<string, WorkStreamConnection> streams = new(StringComparer.Ordinal);
    // Keyed by lease: a job leased to this worker again (its first lease expired) may have two attempts running.
    private readonly ConcurrentDictionary<(string Id, string Token), WorkStreamConnection> owners = new();
    private readonly SemaphoreSlim opening = new(1, 1);
    private readonly CancellationTokenSource disposed = new();

    private GrpcWorkerTransport(Uri address, string? apiKey, ConveyorWorkerOptions options, TimeProvider time, ILogger logger, Action<string> control)
    {
        Address = address;
        channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = null,
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, KeepAlivePingDelay = TimeSpan.FromSeconds(30) },
        });
        client = new ConveyorService.ConveyorServiceClient(channel);
        headers = string.IsNullOrWhiteSpace(apiKey) ? null : new Metadata { { "authorization", "Bearer " + apiKey.Trim() } };
        this.options = options;
        this.time = time;
        this.logger = logger;
        this.control = control;
    }

    public event Action<LostLeaseView>? LeaseLost;

    public string Name => "grpc";

    public bool PushesLostLeases => true;

    public Uri Address { get; }

    public static GrpcWorkerTransport Create(
        Uri address, ConveyorClientOptions clientOptions, ConveyorWorkerOptions options, ILogger logger, Action<string> control) =>
        new(address, clientOptions.ApiKey ?? Environment.GetEnvironmentVariable(ConveyorClientOptions.ApiKeyVariable), options, clientOptions.TimeProvider, logger, control);

    /// <summary>
    /// Whether a gRPC server answers at the address: its <c>grpc.health.v1</c> check answers (or refuses the key, which
    /// also proves it is there). Null when it does; else why not.
    /// </summary>
    public async Task<string?> ProbeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var call = channel.CreateCallInvoker().AsyncUnaryCall(
                HealthCheck, null, new CallOptions(headers, DateTime.UtcNow + timeout, cancellationToken), []);
            await call.ResponseAsync.ConfigureAwait(false);
            return null;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            return null;
        }
        catch (RpcException e)
        {
            return $"{e.StatusCode}: {e.Status.Detail}";
        }
    }

    public async Task<IReadOnlyList<JobView>> FetchAsync(string queue, int max, TimeSpan wait, string workerId, CancellationToken cancellationToken)
    {
        var stream = await StreamOfAsync(queue, workerId, cancellationToken).ConfigureAwait(false);
        var jobs = await stream.FetchAsync(max, wait, time, cancellationToken).ConfigureAwait(false);
        foreach (var job in jobs)
        {
            owners[(job.Id, job.Lease?.Token ?? string.Empty)] = stream;
        }

        return jobs;
    }

    public async Task<IReadOnlyList<SettleItemResult>> SettleAsync(SettleRequest request, CancellationToken cancellationToken)
    {
        var acks = request.Ack ?? [];
        var fails = request.Fail ?? [];
        var byStream = new Dictionary<WorkStreamConnection, (List<SettleAck> Acks, List<SettleFail> Fails)>();
        var orphans = new ProtoSettleRequest();
        foreach (var ack in acks)
        {
            if (owners.TryRemove((ack.Id ?? string.Empty, ack.Token ?? string.Empty), out var stream) && !stream.IsOver)
            {
                Part(byStream, stream).Acks.Add(ack);
            }
            else
            {
                orphans.Acks.Add(WorkStreamConnection.ToProto(ack));
            }
        }

        foreach (var fail in fails)
        {
            if (owners.TryRemove((fail.Id ?? string.Empty, fail.Token ?? string.Empty), out var stream) && !stream.IsOver)
            {
                Part(byStream, stream).Fails.Add(fail);
            }
            else
            {
                orphans.Fails.Add(WorkStreamConnection.ToProto(fail));
            }
        }

        var parts = byStream.Select(p => p.Key.SettleAsync(p.Value.Acks, p.Value.Fails)).ToList();
        var results = new List<SettleItemResult>(acks.Count + fails.Count);
        if (orphans.Acks.Count + orphans.Fails.Count > 0)
        {
            // Their stream is gone (the server released them and answers stale, so nothing is settled twice), or the job was
            // leased again on its stream while an older attempt ran, and the pushed lease is settled by its token.
            var response = await Unary(() => client.SettleAsync(orphans, Options(cancellationToken)).ResponseAsync).ConfigureAwait(false);
            results.AddRange(response.Results.Select(r => new SettleItemResult(r.Id, r.Status switch
            {
                V1.SettleStatus.Ok => "ok",
                V1.SettleStatus.Stale => "stale",
                _ => "unknown",
            })));
        }

        foreach (var part in parts)
        {
            results.AddRange(await part.ConfigureAwait(false));
        }

        return results;
    }

    public async Task<DateTimeOffset> HeartbeatAsync(string id, string token, int? extendSeconds, CancellationToken cancellationToken)
    {
        if (owners.TryGetValue((id, token), out var stream) && !stream.IsOver)
        {
            try
            {
                return await stream.HeartbeatAsync(id, token, extendSeconds).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ConveyorApiException)
            {
                // The lease is gone: the attempt settles nothing, so nothing else would forget it.
                owners.TryRemove((id, token), out _);
                throw;
            }
        }

        var request = new HeartbeatRequest { Id = id, Token = token };
        if (extendSeconds is { } seconds)
        {
            request.ExtendSeconds = seconds;
        }

        var response = await Unary(() => client.HeartbeatAsync(request, Options(cancellationToken)).ResponseAsync).ConfigureAwait(false);
        return response.ExpiresAt.ToDateTimeOffset();
    }

    public Task ProgressAsync(string id, string token, int percent, string? message, CancellationToken cancellationToken)
    {
        var request = new ReportProgressRequest { Id = id, Token = token, Percent = percent };
        if (message is not null)
        {
            request.Message = message;
        }

        return Unary(() => client.ReportProgressAsync(request, Options(cancellationToken)).ResponseAsync);
    }

    /// <summary>Never polled (<see cref="PushesLostLeases"/>): the stream says at once.</summary>
    public Task<IReadOnlyList<LostLeaseView>> CheckLeasesAsync(IReadOnlyList<(string Id, string Token)> leases, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LostLeaseView>>([]);

    public async ValueTask DisposeAsync()
    {
        await disposed.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(streams.Values.Select(s => s.CloseAsync(CloseGrace))).ConfigureAwait(false);
        streams.Clear();
        channel.Dispose();
        disposed.Dispose();
        opening.Dispose();
    }

    private static (List<SettleAck> Acks, List<SettleFail> Fails) Part(
        Dictionary<WorkStreamConnection, (List<SettleAck> Acks, List<SettleFail> Fails)> parts, WorkStreamConnection stream)
    {
        if (!parts.TryGetValue(stream, out var part))
        {
            parts[stream] = part = ([], []);
        }

        return part;
    }

    private static async Task<T> Unary<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw GrpcErrorMapping.ToApiException(e);
        }
    }

    private CallOptions Options(CancellationToken cancellationToken) => new(headers, cancellationToken: cancellationToken);

    /// <summary>The queue's live stream, opened (again) when there is none.</summary>
    private async Task<WorkStreamConnection> StreamOfAsync(string queue, string workerId, CancellationToken cancellationToken)
    {
        if (streams.TryGetValue(queue, out var current) && !current.IsOver)
        {
            return current;
        }

        await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (streams.TryGetValue(queue, out current))
            {
                if (!current.IsOver)
                {
                    return current;
                }

                streams.TryRemove(queue, out _);
                if (current.Ending is var (reason, lost))
                {
                    logger.WorkStreamBroke(queue, reason is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : reason.Message, lost);
                }

                await current.CloseAsync(TimeSpan.Zero).ConfigureAwait(false);
            }

            ObjectDisposedException.ThrowIf(disposed.IsCancellationRequested, this);
            var call = client.Work(new CallOptions(headers, cancellationToken: disposed.Token));
            var stream = new WorkStreamConnection(call, OnLeaseLost, control);
            var subscribe = new Subscribe { WorkerId = workerId, Hostname = Environment.MachineName, Pid = Environment.ProcessId };
            subscribe.Queues.Add(queue);
            try
            {
                await stream.StartAsync(subscribe, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                call.Dispose();
                throw;
            }

            streams[queue] = stream;
            return stream;
        }
        finally
        {
            opening.Release();
        }
    }

    private void OnLeaseLost(WorkStreamConnection stream, string id, string token, string reason)
    {
        owners.TryRemove(new KeyValuePair<(string, string), WorkStreamConnection>((id, token), stream));
        LeaseLost?.Invoke(new LostLeaseView(id, token, reason));
    }
}
