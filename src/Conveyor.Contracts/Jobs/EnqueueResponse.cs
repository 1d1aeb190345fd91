namespace Conveyor.Contracts.Jobs;

/// <summary>The id of an enqueued job (201), or of the existing job it resolved to (200).</summary>
public sealed record EnqueueResponse(string Id);
