using Conveyor.Broker;
using Conveyor.Broker.Workers;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Inputs;
using Conveyor.Core.Security;
using Conveyor.Server.Errors;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Endpoints;

/// <summary>Operator calls on worker processes (those that heartbeat, e.g. over the Faktory port): list, quiet, terminate.</summary>
internal static class WorkerRegistryEndpoints
{
    public static void MapWorkerRegistryEndpoints(this RouteGroupBuilder v1)
    {
        var workers = v1.MapGroup("/workers").WithTags("workers");
        workers.MapGet("/", List).WithName("ListWorkers").WithSummary("Worker processes heard from in the last 60 s").RequireScope(ApiScope.Read);
        workers.MapPost("/{wid}/quiet", Quiet).WithName("QuietWorker").WithSummary("Ask a worker to stop fetching (told on its next heartbeat)").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workers.MapPost("/{wid}/terminate", Terminate).WithName("TerminateWorker").WithSummary("Ask a worker to shut down (told on its next heartbeat)").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static Ok<WorkerView[]> List(WorkerRegistry registry) =>
        TypedResults.Ok(registry.List().Select(w => new WorkerView(
            w.Wid, w.Hostname, w.Pid, w.Labels, w.StartedAt, w.LastBeat, w.State.ToString().ToLowerInvariant())).ToArray());

    private static Results<NoContent, ProblemHttpResult> Quiet(string wid, WorkerRegistry registry) => Request(wid, registry, WorkerState.Quiet);

    private static Results<NoContent, ProblemHttpResult> Terminate(string wid, WorkerRegistry registry) => Request(wid, registry, WorkerState.Terminate);

    private static Results<NoContent, ProblemHttpResult> Request(string wid, WorkerRegistry registry, WorkerState state) =>
        NameRules.Check(wid, InputLimits.WorkerIdLength) is { } error
            ? throw new RequestRejectedException("wid", error.Message, tooLarge: error.TooLarge)
            : registry.Request(wid, state)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such worker", detail: $"no worker {wid} has been heard from in the last 60 s", type: ApiProblems.TypeForStatus(StatusCodes.Status404NotFound));
}
