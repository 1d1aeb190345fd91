using Conveyor.Broker;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Security;
using Conveyor.Core.Storage;
using Conveyor.Server.Errors;
using Conveyor.Server.Faktory;
using Conveyor.Server.Hosting;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Server.Endpoints;

/// <summary>Worker calls: fetch (long-poll), ack, fail, settle, heartbeat.</summary>
internal static class WorkerEndpoints
{
    public static void MapWorkerEndpoints(this RouteGroupBuilder v1, ConveyorServerOptions options)
    {
        // The broker is captured here, not a handler parameter: resolving it from RequestServices made a DI scope (a
        // scope, its feature and its service dictionary) for every fetch and settle, for a singleton.
        var runtime = ((IEndpointRouteBuilder)v1).ServiceProvider.GetRequiredService<BrokerRuntime>();
        var workers = v1.MapGroup("/").WithTags("workers").RequireScope(ApiScope.Work);
        workers.MapPost("/fetch", (HttpRequest http, CancellationToken cancellationToken) => FetchAsync(http, runtime, cancellationToken)).Accepts<FetchRequest>("application/json").Produces<FetchResponse>().WithName("Fetch").WithSummary("Lease jobs, waiting up to wait_ms for one")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workers.MapPost("/jobs/{id}/ack", (string id, AckRequest request) => AckAsync(id, request, runtime)).WithName("AckJob").WithSummary("Complete the attempt held by the token")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workers.MapPost("/jobs/{id}/fail", (string id, FailRequest request) => FailAsync(id, request, runtime)).WithName("FailJob").WithSummary("Fail the attempt held by the token (retrying or dead)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workers.MapPost("/settle", (HttpRequest http) => SettleAsync(http, runtime)).Accepts<SettleRequest>("application/json").Produces<SettleResponse>().WithName("Settle").WithSummary("Acks and fails in one call (up to 10,000 items)")
            .WithMetadata(new BodySizeLimit(options.MaxBatchBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workers.MapPost("/jobs/{id}/heartbeat", (string id, HeartbeatRequest request) => HeartbeatAsync(id, request, runtime)).WithName("Heartbeat").WithSummary("Extend the lease held by the token")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<FetchResult> FetchAsync(HttpRequest http, BrokerRuntime runtime, CancellationToken cancellationToken)
    {
        var request = await JsonBody.ReadAsync(http, FetchRequestReader.Read).ConfigureAwait(false);

        // The prefix marks leases granted over Faktory (fencing by holder); an HTTP worker may not claim one.
        if (FaktoryLeaseHolder.IsReserved(request.WorkerId))
        {
            throw new RequestRejectedException("worker_id", $"must not start with '{FaktoryLeaseHolder.Prefix}' (reserved for Faktory workers)");
        }

        // cancellationToken is the request's: a client that disconnects ends its long-poll.
        var jobs = await runtime.Broker.FetchAsync(
            request.Queues ?? [],
            request.Max ?? 1,
            TimeSpan.FromMilliseconds(request.WaitMs ?? 0),
            request.WorkerId,
            cancellationToken).ConfigureAwait(false);
        return new FetchResult(jobs, request.OmitDefaults ?? false, runtime.Broker.ReleaseAsync);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> AckAsync(string id, AckRequest request, BrokerRuntime runtime)
    {
        var token = SettleMapping.RequireToken(request.Token);
        return ToResult(id, await runtime.Broker.AckAsync(id, token, SettleMapping.ToResult(request.Result)).ConfigureAwait(false));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> FailAsync(string id, FailRequest request, BrokerRuntime runtime) =>
        ToResult(id, await runtime.Broker.FailAsync(SettleMapping.ToFail(id, request)).ConfigureAwait(false));

    private static async Task<SettleResponseResult> SettleAsync(HttpRequest http, BrokerRuntime runtime)
    {
        var request = await JsonBody.ReadAsync(http, SettleRequestReader.Read).ConfigureAwait(false);
        var results = await runtime.Broker.SettleAsync(SettleMapping.ToSettle(request)).ConfigureAwait(false);
        return new SettleResponseResult(results);
    }

    private static async Task<Results<Ok<HeartbeatResponse>, ProblemHttpResult>> HeartbeatAsync(string id, HeartbeatRequest request, BrokerRuntime runtime)
    {
        var result = await runtime.Broker.HeartbeatAsync(SettleMapping.ToHeartbeat(id, request)).ConfigureAwait(false);
        return result.Status switch
        {
            SettleStatus.Ok => TypedResults.Ok(new HeartbeatResponse(result.ExpiresAt!.Value)),
            SettleStatus.Stale => ApiProblems.StaleLease(id),
            _ => ApiProblems.JobNotFound(id),
        };
    }

    private static Results<NoContent, ProblemHttpResult> ToResult(string id, SettleStatus status) => status switch
    {
        SettleStatus.Ok => TypedResults.NoContent(),
        SettleStatus.Stale => ApiProblems.StaleLease(id),
        _ => ApiProblems.JobNotFound(id),
    };
}
