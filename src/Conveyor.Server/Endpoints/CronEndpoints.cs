using Conveyor.Contracts;
using Conveyor.Contracts.Cron;
using Conveyor.Core.Security;
using Conveyor.Server.Errors;
using Conveyor.Server.Hosting;
using Conveyor.Server.Mapping;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Conveyor.Server.Endpoints;

/// <summary>Schedules (periodic jobs): create or replace, read, list, delete, pause and resume. Firing is maintenance's.</summary>
internal static class CronEndpoints
{
    public static void MapCronEndpoints(this RouteGroupBuilder v1, ConveyorServerOptions options)
    {
        var cron = v1.MapGroup("/cron").WithTags("cron");
        cron.MapGet("/", ListAsync).WithName("ListSchedules").WithSummary("Every schedule by name, with its next fire times (next=1..100)").RequireScope(ApiScope.Read)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cron.MapGet("/{name}", GetAsync).WithName("GetSchedule").WithSummary("One schedule with its last tick and next fire times (next=1..100)").RequireScope(ApiScope.Read)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cron.MapPut("/{name}", PutAsync).WithName("PutSchedule").WithSummary("Create or replace a schedule (its last tick is kept)").RequireScope(ApiScope.Admin)
            .WithMetadata(new BodySizeLimit(options.MaxJobBodyBytes))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cron.MapDelete("/{name}", DeleteAsync).WithName("DeleteSchedule").WithSummary("Delete a schedule; the jobs it enqueued stay").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cron.MapPost("/{name}/pause", PauseAsync).WithName("PauseSchedule").WithSummary("Stop a schedule firing; ticks while paused never fire").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cron.MapPost("/{name}/resume", ResumeAsync).WithName("ResumeSchedule").WithSummary("Let a schedule fire again from its next tick").RequireScope(ApiScope.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<Ok<CronListResponse>> ListAsync(int? next, BrokerRuntime runtime, TimeProvider time, CancellationToken cancellationToken)
    {
        var count = CheckNext(next);
        var schedules = await runtime.Broker.ListSchedulesAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return TypedResults.Ok(new CronListResponse([.. schedules.Select(s => CronMapping.ToView(s, count, now))]));
    }

    private static async Task<Results<Ok<CronScheduleView>, ProblemHttpResult>> GetAsync(string name, int? next, BrokerRuntime runtime, TimeProvider time, CancellationToken cancellationToken)
    {
        var count = CheckNext(next);
        var schedule = await runtime.Broker.GetScheduleAsync(name, cancellationToken).ConfigureAwait(false);
        return schedule is null ? NotFound(name) : TypedResults.Ok(CronMapping.ToView(schedule, count, time.GetUtcNow()));
    }

    private static async Task<Ok<CronScheduleView>> PutAsync(string name, CronScheduleRequest request, BrokerRuntime runtime, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var saved = await runtime.Broker.SaveScheduleAsync(CronMapping.ToSchedule(name, request, now)).ConfigureAwait(false);
        return TypedResults.Ok(CronMapping.ToView(saved, 1, now));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, BrokerRuntime runtime) =>
        await runtime.Broker.DeleteScheduleAsync(name).ConfigureAwait(false) ? TypedResults.NoContent() : NotFound(name);

    private static Task<Results<Ok<CronScheduleView>, ProblemHttpResult>> PauseAsync(string name, BrokerRuntime runtime, TimeProvider time) =>
        SetPausedAsync(name, paused: true, runtime, time);

    private static Task<Results<Ok<CronScheduleView>, ProblemHttpResult>> ResumeAsync(string name, BrokerRuntime runtime, TimeProvider time) =>
        SetPausedAsync(name, paused: false, runtime, time);

    private static async Task<Results<Ok<CronScheduleView>, ProblemHttpResult>> SetPausedAsync(string name, bool paused, BrokerRuntime runtime, TimeProvider time)
    {
        var schedule = await runtime.Broker.PauseScheduleAsync(name, paused).ConfigureAwait(false);
        return schedule is null ? NotFound(name) : TypedResults.Ok(CronMapping.ToView(schedule, 1, time.GetUtcNow()));
    }

    private static int CheckNext(int? next) => next switch
    {
        null => 1,
        >= 1 and <= CronMapping.MaxNext => next.Value,
        _ => throw new Broker.RequestRejectedException("next", $"must be 1–{CronMapping.MaxNext}"),
    };

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem($"no schedule named '{name}'", statusCode: StatusCodes.Status404NotFound, title: "Not found", type: ProblemTypes.NotFound);
}
