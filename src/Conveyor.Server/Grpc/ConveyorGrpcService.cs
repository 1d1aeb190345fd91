using Conveyor.Broker;
using Conveyor.Broker.Workers;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Grpc.V1;
using Conveyor.Server.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Grpc;

/// <summary>
/// The <c>conveyor.v1.ConveyorService</c> calls: each one maps its request, calls the broker and maps the answer,
/// as the HTTP endpoints do; the Work stream runs in <see cref="WorkStream"/>. Errors go through <see cref="GrpcErrorInterceptor"/>.
/// </summary>
internal sealed partial class ConveyorGrpcService(
    BrokerRuntime runtime, WorkerRegistry workers, IHostApplicationLifetime lifetime, ILogger<WorkStream> workLogger)
    : ConveyorService.ConveyorServiceBase
{
    private JobBroker Broker => runtime.Broker;

    public override async Task<EnqueueResponse> Enqueue(Conveyor.Grpc.V1.EnqueueRequest request, ServerCallContext context)
    {
        var broker = Broker;
        var job = await broker.EnqueueAsync(ProtoRequestMapping.ToSpec(request, broker.Time.GetUtcNow())).ConfigureAwait(false);
        return new EnqueueResponse { Id = job.Id, Created = job.Created, Duplicate = !job.Created };
    }

    public override async Task<EnqueueBatchResponse> EnqueueBatch(EnqueueBatchRequest request, ServerCallContext context)
    {
        var broker = Broker;
        var now = broker.Time.GetUtcNow();
        var specs = new JobSpec[request.Jobs.Count];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i] = ProtoRequestMapping.ToSpec(request.Jobs[i], now, i);
        }

        var result = await broker.EnqueueBatchAsync(specs).ConfigureAwait(false);
        var response = new EnqueueBatchResponse();
        for (var i = 0; i < result.Jobs.Count; i++)
        {
            response.Ids.Add(result.Jobs[i].Id);
            if (!result.Jobs[i].Created)
            {
                response.Duplicates.Add(i);
            }
        }

        return response;
    }

    public override async Task<Job> GetJob(GetJobRequest request, ServerCallContext context)
    {
        var id = ProtoRequestMapping.RequireId(request.Id);
        var job = await Broker.GetJobAsync(id, context.CancellationToken).ConfigureAwait(false);
        return job?.ToProto() ?? throw GrpcErrors.NotFound($"no job {id}");
    }

    public override async Task<ListJobsResponse> ListJobs(ListJobsRequest request, ServerCallContext context)
    {
        var list = new JobList(
            ProtoJobMapping.FromProto(request.State),
            NullIfEmpty(request.Queue),
            NullIfEmpty(request.Type),
            request.Limit == 0 ? 50 : request.Limit,
            NullIfEmpty(request.Cursor))
        {
            Tag = NullIfEmpty(request.Tag),
            IdPrefix = NullIfEmpty(request.IdPrefix),
            CreatedFrom = request.CreatedFrom?.ToDateTimeOffset(),
            CreatedTo = request.CreatedTo?.ToDateTimeOffset(),
        };
        if (list.CreatedFrom is { } from && list.CreatedTo is { } to && from >= to)
        {
            throw new RequestRejectedException("created_to", "must be later than created_from");
        }

        var page = await Broker.ListJobsAsync(list, context.CancellationToken).ConfigureAwait(false);
        var response = new ListJobsResponse { NextCursor = page.NextCursor ?? string.Empty };
        foreach (var job in page.Jobs)
        {
            response.Jobs.Add(job.ToProto());
        }

        return response;
    }

    public override async Task<Job> WaitForCompletion(WaitForCompletionRequest request, ServerCallContext context)
    {
        var id = ProtoRequestMapping.RequireId(request.Id);
        var max = (long)JobBroker.MaxFinishWait.TotalMilliseconds;
        var waitMs = request.HasTimeoutMs ? request.TimeoutMs : DefaultWaitMs;
        if (waitMs < 0 || waitMs > max)
        {
            throw new RequestRejectedException("timeout_ms", $"must be 0–{max}");
        }

        var wait = TimeSpan.FromMilliseconds(waitMs);
        if (context.Deadline != DateTime.MaxValue)
        {
            // Answer the job as it is just before the deadline rather than let the call fail at it.
            var left = context.Deadline - DateTime.UtcNow - DeadlineMargin;
            wait = left <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(wait.Ticks, left.Ticks));
        }

        var job = await Broker.WaitForFinishAsync(id, wait, context.CancellationToken).ConfigureAwait(false);
        return job?.ToProto() ?? throw GrpcErrors.NotFound($"no job {id}");
    }

    public override async Task<CancelJobResponse> CancelJob(CancelJobRequest request, ServerCallContext context)
    {
        var id = ProtoRequestMapping.RequireId(request.Id);
        Check(id, await Broker.CancelAsync(id).ConfigureAwait(false), JobOperation.Cancel);
        return new CancelJobResponse();
    }

    public override async Task<RetryJobResponse> RetryJob(RetryJobRequest request, ServerCallContext context)
    {
        var id = ProtoRequestMapping.RequireId(request.Id);
        Check(id, await Broker.RetryAsync(id).ConfigureAwait(false), JobOperation.Retry);
        return new RetryJobResponse();
    }

    private static void Check(string id, CommandResult result, JobOperation operation)
    {
        if (result.Status == CommandStatus.NotFound)
        {
            throw GrpcErrors.NotFound($"no job {id}");
        }

        if (result.Status != CommandStatus.Ok)
        {
            throw GrpcErrors.Conflict(result.Describe(operation));
        }
    }

    /// <summary>The wait of <see cref="WaitForCompletion"/> when timeout_ms is unset, as GET /v1/jobs/{id}/wait.</summary>
    private const long DefaultWaitMs = 30_000;

    /// <summary>How long before a call's deadline a wait ends, so the answer still arrives in time.</summary>
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(50);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
