using System.Text.Json.Serialization;

namespace Conveyor.Contracts.Jobs;

/// <summary>The ids of an enqueued batch, in request order.</summary>
public sealed record EnqueueBatchResponse(IReadOnlyList<string> Ids)
{
    /// <summary>
    /// The positions in <see cref="Ids"/> (0-based, ascending) that name an existing job instead of a new one (same id, or
    /// one holding the unique key); left out when every job was new.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<int>? Duplicates { get; init; }
}
