namespace Conveyor.Broker;

/// <summary>
/// An enqueue the store refused because a job reuses an existing id with a different type or args (HTTP 409
/// <c>id-conflict</c>); nothing of the batch was written.
/// </summary>
public sealed class JobIdConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="id">The id that is taken.</param>
    /// <param name="index">The job's position when the request was a batch.</param>
    public JobIdConflictException(string id, int? index = null)
        : base($"{(index is { } i ? $"jobs[{i}].id" : "id")}: a job with id '{id}' exists with a different type or args")
    {
        Id = id;
        Index = index;
    }

    /// <summary>The id that is taken.</summary>
    public string Id { get; }

    /// <summary>The job's position when the request was a batch.</summary>
    public int? Index { get; }
}
