using Conveyor.Core.Security;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Grpc;

/// <summary>
/// The scope each call of <c>conveyor.v1.ConveyorService</c> needs: the scope of the HTTP call it mirrors
/// (docs/security.md). A method missing here has no mark and so needs admin, like an unmarked HTTP endpoint.
/// </summary>
internal static class GrpcScopes
{
    public static readonly IReadOnlyDictionary<string, ApiScope> ByMethod = new Dictionary<string, ApiScope>(StringComparer.Ordinal)
    {
        ["Enqueue"] = ApiScope.Produce,
        ["EnqueueBatch"] = ApiScope.Produce,
        ["GetJob"] = ApiScope.Read,
        ["ListJobs"] = ApiScope.Read,
        ["ListQueues"] = ApiScope.Read,
        ["GetStats"] = ApiScope.Read,
        ["CancelJob"] = ApiScope.Admin,
        ["RetryJob"] = ApiScope.Admin,
        ["PauseQueue"] = ApiScope.Admin,
        ["ResumeQueue"] = ApiScope.Admin,
        ["PurgeQueue"] = ApiScope.Admin,
        ["Fetch"] = ApiScope.Work,
        ["Settle"] = ApiScope.Work,
        ["Heartbeat"] = ApiScope.Work,
        ["ReportProgress"] = ApiScope.Work,
        ["WaitForCompletion"] = ApiScope.Read,
        ["Work"] = ApiScope.Work,
    };

    /// <summary>Marks each method's endpoint (its route is <c>/conveyor.v1.ConveyorService/METHOD</c>) with its scope.</summary>
    public static TBuilder RequireMethodScopes<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? string.Empty;
            var method = pattern[(pattern.LastIndexOf('/') + 1)..];
            if (ByMethod.TryGetValue(method, out var scope))
            {
                endpoint.Metadata.Add(new RequiredScope(scope));
            }
        });
        return builder;
    }
}
