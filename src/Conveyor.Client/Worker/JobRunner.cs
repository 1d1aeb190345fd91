using System.Diagnostics;
using Conveyor.Client.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Worker;

/// <summary>Runs one attempt: a DI scope, a span, the handler, and the settlement its outcome calls for.</summary>
internal sealed class JobRunner
{
    private readonly HandlerRegistry registry;
    private readonly JobPipeline pipeline;
    private readonly IServiceScopeFactory scopes;
    private readonly ConveyorClientOptions clientOptions;
    private readonly WorkerTelemetry telemetry;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string workerId;

    public JobRunner(HandlerRegistry registry, JobPipeline pipeline, IServiceScopeFactory scopes, ConveyorClientOptions clientOptions, WorkerTelemetry telemetry, ILogger logger, string workerId)
    {
        this.registry = registry;
        this.pipeline = pipeline;
        this.scopes = scopes;
        this.clientOptions = clientOptions;
        this.telemetry = telemetry;
        this.logger = logger;
        this.workerId = workerId;
        time = clientOptions.TimeProvider;
    }

    /// <summary>The settlement for the attempt; null when the lease was lost (settling would be refused anyway).</summary>
    public async Task<Settlement?> RunAsync(RunningJob running)
    {
        var job = running.Job;
        var registration = registry.Find(job.Type);
        if (registration is null)
        {
            logger.UnknownJobType(job.Id, job.Type, registry.Known);
            telemetry.Failed(job, TimeSpan.Zero, Failure.UnknownJobType);
            return Settlement.Failed(job.Id, running.Context.Token, new Failure(
                Failure.UnknownJobType, $"worker {workerId} has no handler for job type '{job.Type}' (it handles: {registry.Known})", []));
        }

        using var activity = WorkerTelemetry.StartJob(job);
        using var logScope = logger.BeginScope(new JobLogScope(job));
        var started = time.GetTimestamp();
        try
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var services = scope.ServiceProvider;
                await pipeline.RunAsync(services, running.Context,
                    context => registration.InvokeAsync(services, job, context, clientOptions, context.CancellationToken)).ConfigureAwait(false);
            }

            var elapsed = time.GetElapsedTime(started);
            telemetry.Completed(job, elapsed);
            logger.JobCompleted(job.Id, job.Type, elapsed);
            return Settlement.Acked(job.Id, running.Context.Token, running.Context.Result);
        }
        catch (Exception e)
        {
            var elapsed = time.GetElapsedTime(started);
            activity?.AddException(e);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            if (running.LeaseLost)
            {
                return null;
            }

            var failure = e is OperationCanceledException && running.Context.WorkerStopping.IsCancellationRequested
                ? Failure.Shutdown(workerId)
                : Failure.FromException(e);
            telemetry.Failed(job, elapsed, failure.ErrorType);
            logger.JobFailed(e, job.Id, job.Type, job.Attempt);
            return Settlement.Failed(job.Id, running.Context.Token, failure);
        }
    }
}
