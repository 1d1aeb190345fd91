namespace Conveyor.Contracts.Workers;

/// <summary>How one settle item went: <c>ok</c>, <c>stale</c> (not the current lease) or <c>unknown</c> (no such job).</summary>
public sealed record SettleItemResult(string Id, string Status);
