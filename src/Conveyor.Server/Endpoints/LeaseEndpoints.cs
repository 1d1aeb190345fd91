using Conveyor.Contracts.Workers;
using Conveyor.Core.Security;
using Conveyor.Server.Hosting;
using Conveyor.Server.Mapping;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Endpoints;

/// <summary>
/// The lease check a worker makes about once a second for every job it runs: a read that tells it which attempts to stop
/// (cancelled, or leased elsewhere) long before a heartbeat would be refused.
/// </summary>
internal static class LeaseEndpoints
{
    public static void MapLeaseEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/leases/check", CheckAsync).WithTags("workers").RequireScope(ApiScope.Work)
            .WithName("CheckLeases").WithSummary("Which of these leases are no longer held, and why (up to 1000; writes nothing)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Ok<LeaseCheckResponse>> CheckAsync(LeaseCheckRequest request, BrokerRuntime runtime, CancellationToken cancellationToken)
    {
        var lost = await runtime.Broker.CheckLeasesAsync(LeaseCheckMapping.ToCheck(request), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(LeaseCheckMapping.ToResponse(lost));
    }
}
