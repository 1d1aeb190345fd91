namespace Conveyor.Client;

/// <summary>
/// Runs jobs whose arguments are a <typeparamref name="TArgs"/> and whose outcome is a <typeparamref name="TResult"/>: the value
/// returned is serialized (with the <c>JsonTypeInfo</c> given at registration, or <see cref="ConveyorClientOptions.SerializerOptions"/>)
/// and sent with the ack, kept with the completed job, and returned by <c>IConveyorClient.WaitForCompletionAsync</c>. Register it
/// with <c>AddHandler&lt;TArgs, TResult, THandler&gt;()</c>. A result over 64 KiB of JSON fails the job for good. Everything else
/// is as for <see cref="IJobHandler{TArgs}"/>.
/// </summary>
/// <typeparam name="TArgs">The job's arguments.</typeparam>
/// <typeparam name="TResult">The job's result.</typeparam>
public interface IJobHandler<in TArgs, TResult>
{
    /// <summary>Runs one attempt of a job and returns its result.</summary>
    /// <param name="args">The job's arguments.</param>
    /// <param name="context">The job's id, attempt, queue, meta and lease; reports progress.</param>
    /// <param name="cancellationToken">Cancelled when the worker gives up on the attempt.</param>
    Task<TResult> HandleAsync(TArgs args, JobContext context, CancellationToken cancellationToken);
}
