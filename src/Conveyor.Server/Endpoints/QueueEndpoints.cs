using Conveyor.Contracts.Queues;
using Conveyor.Core.Security;
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
        queues.MapGet("/", ListAsync).WithName("ListQueues").WithSummary("Every queue with its counts").RequireScope(ApiScope.Read);
        queues.MapPost("/{queue}/pause", PauseAsync).WithName("PauseQueue").WithSummary("Stop fetches from a queue").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        queues.MapPost("/{queue}/resume", ResumeAsync).WithName("ResumeQueue").WithSummary("Let fetches take from a queue again").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        queues.MapDelete("/{queue}", PurgeAsync).WithName("PurgeQueue").WithSummary("Remove the queue's available jobs").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        v1.MapGet("/stats", StatsAsync).WithTags("queues").WithName("GetStats").WithSummary("Counts per state, totals and throughput").RequireScope(ApiScope.Read);
    }

    private static async Task<Ok<IReadOnlyList<QueueView>>> ListAsync(BrokerRuntime runtime, CancellationToken cancellationToken) =>
        TypedResults.Ok(QueueMapping.ToViews(await runtime.Broker.ListQueuesAsync(cancellationToken).ConfigureAwait(false)));

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

    private static async Task<NoContent> PurgeAsync(string queue, BrokerRuntime runtime)
    {
        await runtime.Broker.PurgeQueueAsync(QueueMapping.RequireQueueName(queue)).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<StatsResponse>> StatsAsync(BrokerRuntime runtime, CancellationToken cancellationToken) =>
        TypedResults.Ok(QueueMapping.ToResponse(await runtime.Broker.GetStatsAsync(cancellationToken).ConfigureAwait(false)));
}
