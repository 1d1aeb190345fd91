namespace Conveyor.Broker;

/// <summary>
/// An enqueue the store refused because it holds as much as its memory budget allows (HTTP 503 <c>storage-full</c> with
/// <c>Retry-After</c>, Faktory <c>-ERR</c>); nothing of the batch was written. Fetch, settle and reads go on and free room.
/// </summary>
public sealed class StorageFullException : Exception
{
    /// <summary>How long a client should wait before it tries again: retention prunes finished jobs this often by default.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Creates the exception.</summary>
    public StorageFullException()
        : base("the store is at its memory budget: no new jobs until workers finish or retention drops some (docs/operations.md, \"Memory budget\")")
    {
    }
}
