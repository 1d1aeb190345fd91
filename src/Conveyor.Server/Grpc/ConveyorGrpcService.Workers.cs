using Conveyor.Broker;
using Conveyor.Core.Jobs;
using Conveyor.Grpc.V1;
using Conveyor.Server.Faktory;
using Conveyor.Server.Mapping;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SettleStatus = Conveyor.Core.Storage.SettleStatus;

namespace Conveyor.Server.Grpc;

/// <summary>Worker calls: fetch (long-poll, ended by the deadline too), settle, heartbeat, and the Work stream.</summary>
internal sealed partial class ConveyorGrpcService
{
    public override async Task<FetchResponse> Fetch(FetchRequest request, ServerCallContext context)
    {
        var workerId = request.HasWorkerId ? request.WorkerId : null;
        RequireWorkerId(workerId);
        if (request.WaitMs < 0 || request.WaitMs > JobDefaults.MaxFetchWait.TotalMilliseconds)
        {
            throw new RequestRejectedException("wait_ms", $"must be 0–{JobDefaults.MaxFetchWait.TotalMilliseconds}");
        }

        var broker = Broker;
        var wait = TimeSpan.FromMilliseconds(request.WaitMs);
        if (context.Deadline != DateTime.MaxValue)
        {
            // The wait ends by the deadline: the call's token fires then too, but an answer in time beats a cancellation.
            var left = context.Deadline - DateTime.UtcNow;
            wait = left <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(wait.Ticks, left.Ticks));
        }

        var jobs = await broker.FetchAsync([.. request.Queues], request.Max == 0 ? 1 : request.Max, wait, workerId, context.CancellationToken).ConfigureAwait(false);
        var response = new FetchResponse();
        foreach (var job in jobs)
        {
            response.Jobs.Add(job.ToProto());
        }

        if (context.CancellationToken.IsCancellationRequested)
        {
            // The client is gone (or its deadline passed): hand the leases back now instead of after they expire.
            await broker.ReleaseAsync(jobs).ConfigureAwait(false);
            context.CancellationToken.ThrowIfCancellationRequested();
        }

        return response;
    }

    public override async Task<SettleResponse> Settle(SettleRequest request, ServerCallContext context)
    {
        var results = await Broker.SettleAsync(ProtoRequestMapping.ToSettle(request)).ConfigureAwait(false);
        return WorkStream.ToResponse(results);
    }

    public override async Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        var heartbeat = ProtoRequestMapping.ToHeartbeat(request);
        var result = await Broker.HeartbeatAsync(heartbeat).ConfigureAwait(false);
        return result.Status switch
        {
            SettleStatus.Ok => new HeartbeatResponse { ExpiresAt = Timestamp.FromDateTimeOffset(result.ExpiresAt!.Value) },
            SettleStatus.Stale => throw GrpcErrors.StaleLease(heartbeat.Id),
            _ => throw GrpcErrors.NotFound($"no job {heartbeat.Id}"),
        };
    }

    public override async Task<ReportProgressResponse> ReportProgress(ReportProgressRequest request, ServerCallContext context)
    {
        var id = ProtoRequestMapping.RequireId(request.Id);
        var token = SettleMapping.RequireToken(request.Token);
        var status = await Broker.ReportProgressAsync(id, token, request.Percent, request.HasMessage ? request.Message : null).ConfigureAwait(false);
        return status switch
        {
            SettleStatus.Ok => new ReportProgressResponse(),
            SettleStatus.Stale => throw GrpcErrors.StaleLease(id),
            _ => throw GrpcErrors.NotFound($"no job {id}"),
        };
    }

    public override async Task Work(IAsyncStreamReader<WorkRequest> requestStream, IServerStreamWriter<WorkResponse> responseStream, ServerCallContext context)
    {
        var stream = new WorkStream(Broker, workers, requestStream, responseStream, context, lifetime.ApplicationStopping, workLogger);
        await stream.RunAsync().ConfigureAwait(false);
    }

    /// <summary>The prefix marks leases granted over Faktory (fencing by holder); a gRPC worker may not claim one.</summary>
    internal static void RequireWorkerId(string? workerId)
    {
        if (FaktoryLeaseHolder.IsReserved(workerId))
        {
            throw new RequestRejectedException("worker_id", $"must not start with '{FaktoryLeaseHolder.Prefix}' (reserved for Faktory workers)");
        }
    }
}
