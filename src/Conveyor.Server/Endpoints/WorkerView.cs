using System.Text.Json.Serialization;

namespace Conveyor.Server.Endpoints;

/// <summary>A worker process in <c>GET /v1/workers</c>.</summary>
internal sealed record WorkerView(
    [property: JsonPropertyName("wid")] string Wid,
    [property: JsonPropertyName("hostname")] string? Hostname,
    [property: JsonPropertyName("pid")] int? Pid,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("last_beat_at")] DateTimeOffset LastBeatAt,
    [property: JsonPropertyName("state")] string State);
