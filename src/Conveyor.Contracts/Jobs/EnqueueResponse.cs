using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Jobs;

/// <summary>
/// The id of an enqueued job (201, <c>{"id"}</c>), or of the existing job it resolved to (200, with
/// <see cref="Duplicate"/> true).
/// </summary>
public sealed record EnqueueResponse(string Id)
{
    /// <summary>True when no job was made: the id names the existing job (same id, or one holding the unique key); else left out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Duplicate { get; init; }
}
