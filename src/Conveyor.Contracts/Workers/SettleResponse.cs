namespace Conveyor.Contracts.Workers;

/// <summary>One result per settle item: the acks first, then the fails, each in request order.</summary>
public sealed record SettleResponse(IReadOnlyList<SettleItemResult> Results);
