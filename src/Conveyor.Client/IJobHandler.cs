namespace Conveyor.Client;

/// <summary>
/// Runs jobs whose arguments are a <typeparamref name="TArgs"/>. Register it with
/// <c>services.AddConveyorWorker(...).AddHandler&lt;TArgs, THandler&gt;()</c>; a new instance is resolved in a fresh DI scope
/// per job. Returning completes the job (ack); throwing fails it with the exception's type, message and stack
/// trace, and the server retries it with back-off until its attempts run out; throwing a
/// <see cref="PermanentJobFailureException"/> sends it straight to dead, a <see cref="RetryJobException"/> retries it after
/// the delay it names. Middlewares (<see cref="IJobMiddleware"/>) run around it.
/// </summary>
/// <typeparam name="TArgs">The job's arguments, deserialized with <see cref="ConveyorClientOptions.SerializerOptions"/>.</typeparam>
public interface IJobHandler<in TArgs>
{
    /// <summary>Runs one attempt of a job.</summary>
    /// <param name="args">The job's arguments.</param>
    /// <param name="context">The job's id, attempt, queue, meta and lease.</param>
    /// <param name="cancellationToken">Cancelled when the worker gives up on the attempt: at the end of the shutdown grace, or when the lease is lost.</param>
    Task HandleAsync(TArgs args, JobContext context, CancellationToken cancellationToken);
}
