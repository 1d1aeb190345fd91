namespace Conveyor.Contracts.Queues;

/// <summary>
/// A page of queues by name (<c>GET /v1/queues</c>); pass <see cref="Next"/> as <c>after</c> for the next page (null at the end).
/// </summary>
public sealed record QueueListResponse(IReadOnlyList<QueueView> Queues, string? Next);
