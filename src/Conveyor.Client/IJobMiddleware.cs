namespace Conveyor.Client;

/// <summary>The rest of a job's pipeline: the middlewares registered after this one, then the handler.</summary>
/// <param name="context">The job; a middleware passes on the one it was given.</param>
public delegate Task JobDelegate(JobContext context);

/// <summary>
/// Code around every handler: logging scopes, tenancy, metrics, error filters. Register it with
/// <c>builder.UseMiddleware&lt;T&gt;()</c>; middlewares run in registration order (the first is outermost), each resolved
/// from the job's DI scope, so a scoped dependency is the one the handler sees. Call <c>next(context)</c> to go on; return
/// without calling it to complete the job without its handler; throw to fail it (a
/// <see cref="PermanentJobFailureException"/> or <see cref="RetryJobException"/> say how).
/// </summary>
public interface IJobMiddleware
{
    /// <summary>Runs around the rest of the pipeline for one attempt; <see cref="JobContext.CancellationToken"/> is the attempt's token.</summary>
    Task InvokeAsync(JobContext context, JobDelegate next);
}
