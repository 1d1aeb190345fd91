using System.Diagnostics;
using Conveyor.Client.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Worker;

/// <summary>Runs one attempt: a DI scope, a span, the handler within its timeout, and the settlement its outcome calls for.</summary>
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

    /// <summary>
    /// The settlement for the attempt; null when the lease was lost or the job cancelled (settling would be refused anyway).
    /// Past its timeout the attempt is failed at once with <c>Timeout</c>, its handler left to end in <see cref="RunningJob.Handler"/>.
    /// </summary>
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
            // On the thread pool, so a handler that blocks before its first await still lets the timeout fire.
            running.Handler = Task.Run(() => InvokeAsync(registration, running), CancellationToken.None);
            var timeout = AttemptTimeout.Of(job, registration.Timeout(clientOptions));
            if (timeout is { } limit && !await FinishesWithinAsync(running.Handler, limit).ConfigureAwait(false))
            {
                if (!running.Stop(AttemptStop.TimedOut))
                {
                    // Cancelled or lost meanwhile: nothing to settle.
                    return null;
                }

                var failure = Failure.Timeout(limit);
                activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
                telemetry.Failed(job, time.GetElapsedTime(started), failure.ErrorType);
                logger.JobTimedOut(job.Id, job.Type, job.Attempt, limit);
                return Settlement.Failed(job.Id, running.Context.Token, failure);
            }

            await running.Handler.ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(started);
            if (running.LeaseLost)
            {
                // It finished after the server cancelled the job or another worker took it: an ack would be refused.
                logger.FinishedWithoutLease(job.Id, job.Type, running.Stopped);
                return null;
            }

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
                logger.FinishedWithoutLease(job.Id, job.Type, running.Stopped);
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

    /// <summary>
    /// Waits for a handler still running after its attempt was settled (past its timeout), so its slot stays taken and its
    /// end is logged; never throws.
    /// </summary>
    public async Task WaitForHandlerAsync(RunningJob running)
    {
        if (running.Handler.IsCompleted)
        {
            _ = running.Handler.Exception;
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            await running.Handler.ConfigureAwait(false);
            logger.HandlerEndedAfterTimeout(null, running.Job.Id, running.Job.Type, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException)
        {
            // It honoured its token: the timeout did what it should.
        }
        catch (Exception e)
        {
            logger.HandlerEndedAfterTimeout(e, running.Job.Id, running.Job.Type, time.GetElapsedTime(started));
        }
    }

    private async Task InvokeAsync(HandlerRegistration registration, RunningJob running)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var services = scope.ServiceProvider;
            await pipeline.RunAsync(services, running.Context,
                context => registration.InvokeAsync(services, running.Job, context, clientOptions, context.CancellationToken)).ConfigureAwait(false);
        }
    }

    private async Task<bool> FinishesWithinAsync(Task handler, TimeSpan limit)
    {
        using var stopTimer = new CancellationTokenSource();
        var deadline = Task.Delay(limit, time, stopTimer.Token);
        var first = await Task.WhenAny(handler, deadline).ConfigureAwait(false);
        await stopTimer.CancelAsync().ConfigureAwait(false);
        return first == handler;
    }
}
