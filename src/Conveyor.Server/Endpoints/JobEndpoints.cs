using Conveyor.Contracts.Jobs;
using Conveyor.Core.Jobs;
using Conveyor.Core.Security;
using Conveyor.Core.Storage;
using Conveyor.Server.Errors;
using Conveyor.Server.Hosting;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Endpoints;

/// <summary>Producer and operator calls on jobs: enqueue, batch, get, list, cancel, retry.</summary>
internal static class JobEndpoints
{
    public static void MapJobEndpoints(this RouteGroupBuilder v1, ConveyorServerOptions options)
    {
        var jobs = v1.MapGroup("/jobs").WithTags("jobs");
        jobs.MapPost("/", EnqueueAsync).Accepts<EnqueueRequest>("application/json").WithName("EnqueueJob").WithSummary("Enqueue one job; 200 with the existing id and duplicate: true when deduplicated, 409 when the id is taken by another job").RequireScope(ApiScope.Produce)
            .WithMetadata(new BodySizeLimit(options.MaxJobBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        jobs.MapPost("/batch", EnqueueBatchAsync).Accepts<EnqueueBatchRequest>("application/json").Produces<EnqueueBatchResponse>(StatusCodes.Status201Created).WithName("EnqueueJobs").WithSummary("Enqueue up to 10,000 jobs, all or nothing").RequireScope(ApiScope.Produce)
            .WithMetadata(new BodySizeLimit(options.MaxBatchBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        jobs.MapGet("/{id}", GetAsync).WithName("GetJob").WithSummary("One job with its state, attempts, failures and lease").RequireScope(ApiScope.Read);
        jobs.MapGet("/", ListAsync).WithName("ListJobs").WithSummary("A page of jobs, newest first, filtered by state, queue, type, tag, id prefix and creation time").RequireScope(ApiScope.Read)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        jobs.MapPost("/{id}/cancel", CancelAsync).WithName("CancelJob").WithSummary("Cancel a job that has not finished").RequireScope(ApiScope.Admin);
        jobs.MapPost("/{id}/retry", RetryAsync).WithName("RetryJob").WithSummary("Make a dead or retrying job available now").RequireScope(ApiScope.Admin);
    }

    private static async Task<Results<Created<EnqueueResponse>, Ok<EnqueueResponse>>> EnqueueAsync(
        HttpRequest http, BrokerRuntime runtime, TimeProvider time)
    {
        var broker = runtime.Broker;
        var request = await JsonBody.ReadAsync(http, EnqueueRequestReader.ReadJob).ConfigureAwait(false);
        var job = await broker.EnqueueAsync(JobSpecMapping.ToSpec(request, time.GetUtcNow())).ConfigureAwait(false);
        var id = job.Id; // made once: a server-assigned id is held as its value
        var body = job.Created ? new EnqueueResponse(id) : new EnqueueResponse(id) { Duplicate = true };
        return job.Created ? TypedResults.Created(JobLocation(id), body) : TypedResults.Ok(body);
    }

    private static async Task<EnqueueBatchResult> EnqueueBatchAsync(HttpRequest http, BrokerRuntime runtime, TimeProvider time)
    {
        var broker = runtime.Broker;
        var now = time.GetUtcNow();
        var specs = await JsonBody.ReadAsync(http, body => EnqueueRequestReader.ReadBatchSpecs(body, now)).ConfigureAwait(false);
        var result = await broker.EnqueueBatchAsync(specs).ConfigureAwait(false);
        return new EnqueueBatchResult(result);
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetAsync(string id, BrokerRuntime runtime, CancellationToken cancellationToken)
    {
        var job = await runtime.Broker.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
        return job is null ? ApiProblems.JobNotFound(id) : TypedResults.Ok(job.ToView());
    }

    private static async Task<Ok<JobListResponse>> ListAsync(
        BrokerRuntime runtime, string? state, string? queue, string? type, int? limit, string? cursor, string? tag,
        [FromQuery(Name = "id_prefix")] string? idPrefix, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var request = JobListQuery.Parse(state, queue, type, limit ?? 50, cursor, tag, idPrefix, from, to);
        var page = await runtime.Broker.ListJobsAsync(request, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JobListResponse(page.Jobs.ToViews(), page.NextCursor));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> CancelAsync(string id, BrokerRuntime runtime) =>
        ToCommandResult(id, await runtime.Broker.CancelAsync(id).ConfigureAwait(false), JobOperation.Cancel);

    private static async Task<Results<NoContent, ProblemHttpResult>> RetryAsync(string id, BrokerRuntime runtime) =>
        ToCommandResult(id, await runtime.Broker.RetryAsync(id).ConfigureAwait(false), JobOperation.Retry);

    private static Results<NoContent, ProblemHttpResult> ToCommandResult(string id, CommandResult result, JobOperation operation) => result.Status switch
    {
        CommandStatus.Ok => TypedResults.NoContent(),
        CommandStatus.NotFound => ApiProblems.JobNotFound(id),
        _ => ApiProblems.Conflict(result.Describe(operation)),
    };

    private static string JobLocation(string id) => $"/v1/jobs/{Uri.EscapeDataString(id)}";
}
