using Conveyor.Broker;
using Conveyor.Core.Jobs;
using Conveyor.Core.Security;
using Conveyor.Server.Endpoints;
using Conveyor.Server.Errors;
using Conveyor.Server.Hosting;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Dashboard;

/// <summary>Operator calls the dashboard needs beyond the job calls: delete one job, bulk actions run on the server, and their progress.</summary>
internal static class BulkEndpoints
{
    /// <summary>The most ids a bulk call over checked rows may name.</summary>
    public const int MaxIds = 1000;

    public static void MapBulkEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapDelete("/jobs/{id}", DeleteAsync).WithTags("jobs").WithName("DeleteJob").WithSummary("Delete a job that is not active").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        v1.MapPost("/jobs/bulk", Start).WithTags("jobs").WithName("BulkJobs")
            .WithSummary("Retry, cancel or delete every job matching a filter (or the listed ids), on the server; answers the operation to poll").RequireScope(ApiScope.Admin)
            .Produces<BulkAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        v1.MapGet("/operations/{id}", Get).WithTags("jobs").WithName("GetOperation").WithSummary("A bulk operation's progress").RequireScope(ApiScope.Read)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, BrokerRuntime runtime, CancellationToken cancellationToken)
    {
        var broker = runtime.Broker;
        var job = await broker.GetJobAsync(id, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return ApiProblems.JobNotFound(id);
        }

        if (job.State == JobState.Active)
        {
            return ApiProblems.Conflict("cannot delete an active job; cancel it first");
        }

        return await broker.DiscardAsync([id], CancellationToken.None).ConfigureAwait(false) == 1 ? TypedResults.NoContent() : ApiProblems.JobNotFound(id);
    }

    private static Results<Accepted<BulkAccepted>, ProblemHttpResult> Start(BulkRequest request, BulkOperations operations)
    {
        var action = request.Action switch
        {
            "retry" => BulkAction.Retry,
            "cancel" => BulkAction.Cancel,
            "delete" => BulkAction.Delete,
            _ => throw new RequestRejectedException("action", "must be one of retry, cancel, delete"),
        };
        if ((request.Filter is null) == (request.Ids is null))
        {
            throw new RequestRejectedException("filter", "give either a filter or ids, not both");
        }

        if (request.Ids is { } ids && (ids.Count > MaxIds || ids.Count == 0))
        {
            throw new RequestRejectedException("ids", $"must list 1–{MaxIds} ids (for more, act on a filter)", tooLarge: ids.Count > MaxIds);
        }

        var filter = request.Filter is { } f
            ? string.IsNullOrEmpty(f.State)
                ? throw new RequestRejectedException("filter.state", "required: a bulk action works on the jobs of one state")
                : JobListQuery.Parse(f.State, f.Queue, f.Type, BulkOperations.PageSize, null, f.Tag, f.IdPrefix, f.From, f.To)
            : null;
        var operation = operations.Start(action, filter, request.Ids);
        return operation is null
            ? ApiProblems.Conflict($"{BulkOperations.MaxRunning} bulk operations are running; wait for one to finish")
            : TypedResults.Accepted($"/v1/operations/{operation.Id}", new BulkAccepted(operation.Id));
    }

    private static Results<Ok<OperationView>, ProblemHttpResult> Get(string id, BulkOperations operations) =>
        operations.Find(id) is { } operation
            ? TypedResults.Ok(operation.ToView())
            : TypedResults.Problem($"no operation with id '{id}' (operations are kept in memory, the last {BulkOperations.KeptFinished} finished)", statusCode: StatusCodes.Status404NotFound, title: "Not found", type: ApiProblems.TypeForStatus(StatusCodes.Status404NotFound));
}
