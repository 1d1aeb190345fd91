using Conveyor.Contracts.Jobs;

namespace Conveyor.Client.Testing;

/// <summary>One job a <see cref="FakeConveyorClient"/> accepted.</summary>
/// <param name="Id">The id it was given (or the caller's).</param>
/// <param name="Request">The wire job as the real client would have sent it: type, queue and policy applied, args serialized.</param>
/// <param name="Args">The typed arguments, for jobs enqueued typed; null for raw enqueues.</param>
/// <param name="EnqueuedAt">When it was accepted, by <see cref="ConveyorClientOptions.TimeProvider"/>.</param>
public sealed record EnqueuedJob(string Id, EnqueueRequest Request, object? Args, DateTimeOffset EnqueuedAt)
{
    /// <summary>The job type.</summary>
    public string Type => Request.Type ?? string.Empty;

    /// <summary>The queue (<c>default</c> when none was given).</summary>
    public string Queue => Request.Queue ?? "default";
}
