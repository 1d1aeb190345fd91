using Conveyor.Server.Errors;
using Conveyor.Server.Hosting;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Endpoints;

/// <summary><c>/healthz</c> (the process runs) and <c>/readyz</c> (the store has recovered).</summary>
internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).WithTags("health").WithName("Healthz").WithSummary("200 while the process runs").AllowWithoutKey();
        app.MapGet("/readyz", Ready).WithTags("health").WithName("Readyz").WithSummary("200 once the store has recovered, 503 before and after it stopped on an internal error").AllowWithoutKey();
    }

    private static Results<ContentHttpResult, ProblemHttpResult> Ready(BrokerRuntime runtime)
    {
        if (runtime.IsReady)
        {
            return runtime.Broker.Store.Failure is { } stopped ? ApiProblems.NotReady(stopped.Message) : TypedResults.Text("ready");
        }

        return ApiProblems.NotReady(runtime.Failure is { } failure ? $"the store failed to open: {failure.Message}" : "the store is recovering");
    }
}
