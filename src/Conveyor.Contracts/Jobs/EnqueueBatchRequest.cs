namespace Conveyor.Contracts.Jobs;

/// <summary>Up to 10,000 jobs enqueued all or nothing (<c>POST /v1/jobs/batch</c>).</summary>
public sealed record EnqueueBatchRequest
{
    /// <summary>The jobs, in order.</summary>
    public IReadOnlyList<EnqueueRequest>? Jobs { get; set; }
}
