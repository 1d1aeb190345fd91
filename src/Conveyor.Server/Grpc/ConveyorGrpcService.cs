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
        return new EnqueueResponse { Id = job.Id, Created = job.Created };
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
        foreach (var job in result.Jobs)
        {
            response.Ids.Add(job.Id);
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
            NullIfEmpty(request.Cursor));
        var page = await Broker.ListJobsAsync(list, context.CancellationToken).ConfigureAwait(false);
        var response = new ListJobsResponse { NextCursor = page.NextCursor ?? string.Empty };
        foreach (var job in page.Jobs)
        {
            response.Jobs.Add(job.ToProto());
        }

        return response;
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

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
