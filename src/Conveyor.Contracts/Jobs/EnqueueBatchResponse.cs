namespace Conveyor.Contracts.Jobs;

/// <summary>The ids of an enqueued batch, in request order.</summary>
public sealed record EnqueueBatchResponse(IReadOnlyList<string> Ids);
