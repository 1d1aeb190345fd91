using Conveyor.Contracts.Json;

namespace Conveyor.KestrelCeiling;

/// <summary>A job as the in-memory queue holds it: what a fetch answer shows of it.</summary>
internal sealed record QueuedJob(string Id, string Queue, string Type, RawJson Args, DateTimeOffset CreatedAt);
