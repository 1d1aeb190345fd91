using Conveyor.Broker;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Security;
using Conveyor.Core.Storage;
using Conveyor.Server.Errors;
using Conveyor.Server.Hosting;
using Conveyor.Server.Mapping;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Endpoints;

/// <summary>A running job's progress (its worker reports it) and waiting for a job to finish (a producer long-polls).</summary>
internal static class ProgressEndpoints
{
    /// <summary>The wait when <c>timeout_ms</c> is left out.</summary>
    private const int DefaultWaitMs = 30_000;

    public static void MapProgressEndpoints(this RouteGroupBuilder v1)
    {
        var jobs = v1.MapGroup("/jobs").WithTags("jobs");
        jobs.MapPost("/{id}/progress", ReportAsync).WithName("ReportProgress").WithSummary("Record the progress of the attempt held by the token").RequireScope(ApiScope.Work)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        jobs.MapGet("/{id}/wait", WaitAsync).WithName("WaitForJob").WithSummary("Long-poll until the job is finished or timeout_ms passes; answers the job either way").RequireScope(ApiScope.Read)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ReportAsync(string id, ProgressRequest request, BrokerRuntime runtime)
    {
        var token = SettleMapping.RequireToken(request.Token);
        var percent = request.Percent ?? throw new RequestRejectedException("percent", "required");
        var status = await runtime.Broker.ReportProgressAsync(id, token, percent, request.Message).ConfigureAwait(false);
        return status switch
        {
            SettleStatus.Ok => TypedResults.NoContent(),
            SettleStatus.Stale => ApiProblems.StaleLease(id),
            _ => ApiProblems.JobNotFound(id),
        };
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> WaitAsync(string id, BrokerRuntime runtime, [FromQuery(Name = "timeout_ms")] long? timeoutMs, CancellationToken cancellationToken)
    {
        var max = (long)JobBroker.MaxFinishWait.TotalMilliseconds;
        var wait = timeoutMs ?? DefaultWaitMs;
        if (wait is < 0 || wait > max)
        {
            throw new RequestRejectedException("timeout_ms", $"must be 0–{max}");
        }

        // cancellationToken is the request's: a client that disconnects ends its wait.
        var job = await runtime.Broker.WaitForFinishAsync(id, TimeSpan.FromMilliseconds(wait), cancellationToken).ConfigureAwait(false);
        return job is null ? ApiProblems.JobNotFound(id) : TypedResults.Ok(job.ToView());
    }
}
