using Conveyor.Contracts.Queues;
using Conveyor.Core.Inputs;
using Conveyor.Core.Security;
using Conveyor.Core.Storage;
using Conveyor.Server.Errors;
using Conveyor.Server.Hosting;
using Conveyor.Server.Mapping;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Endpoints;

/// <summary>Operator calls on queues, and the stats.</summary>
internal static class QueueEndpoints
{
    public static void MapQueueEndpoints(this RouteGroupBuilder v1)
    {
        var queues = v1.MapGroup("/queues").WithTags("queues");
        queues.MapGet("/", ListAsync).WithName("ListQueues").WithSummary("A page of queues with their counts, by name (limit, after)").RequireScope(ApiScope.Read)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        queues.MapPost("/{queue}/pause", PauseAsync).WithName("PauseQueue").WithSummary("Stop fetches from a queue").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        queues.MapPost("/{queue}/resume", ResumeAsync).WithName("ResumeQueue").WithSummary("Let fetches take from a queue again").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        queues.MapDelete("/{queue}", DeleteAsync).WithName("PurgeQueue")
            .WithSummary("Remove the queue's available jobs; with remove=true, delete the queue itself if it is empty and not paused").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        v1.MapGet("/stats", StatsAsync).WithTags("queues").WithName("GetStats").WithSummary("Counts per state, totals and throughput").RequireScope(ApiScope.Read);
    }

    private static async Task<Ok<QueueListResponse>> ListAsync(int? limit, string? after, BrokerRuntime runtime, CancellationToken cancellationToken)
    {
        var request = new QueueList(limit ?? InputLimits.QueuePageDefault, after is null ? null : QueueMapping.RequireQueueName(after, "after"));
        return TypedResults.Ok(QueueMapping.ToResponse(await runtime.Broker.ListQueuesAsync(request, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<NoContent> PauseAsync(string queue, BrokerRuntime runtime)
    {
        await runtime.Broker.PauseQueueAsync(QueueMapping.RequireQueueName(queue)).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ResumeAsync(string queue, BrokerRuntime runtime)
    {
        await runtime.Broker.ResumeQueueAsync(QueueMapping.RequireQueueName(queue)).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string queue, bool? remove, BrokerRuntime runtime)
    {
        var name = QueueMapping.RequireQueueName(queue);
        if (remove is not true)
        {
            await runtime.Broker.PurgeQueueAsync(name).ConfigureAwait(false);
            return TypedResults.NoContent();
        }

        return await runtime.Broker.RemoveQueueAsync(name).ConfigureAwait(false) switch
        {
            QueueRemoveStatus.Removed => TypedResults.NoContent(),
            QueueRemoveStatus.NotFound => ApiProblems.QueueNotFound(name),
            QueueRemoveStatus.Paused => ApiProblems.Conflict($"queue '{name}' is paused: resume it before removing it"),
            _ => ApiProblems.Conflict($"queue '{name}' still has available, scheduled, retrying or active jobs: purge or finish them before removing it"),
        };
    }

    private static async Task<Ok<StatsResponse>> StatsAsync(BrokerRuntime runtime, CancellationToken cancellationToken) =>
        TypedResults.Ok(QueueMapping.ToResponse(await runtime.Broker.GetStatsAsync(cancellationToken).ConfigureAwait(false)));
}
