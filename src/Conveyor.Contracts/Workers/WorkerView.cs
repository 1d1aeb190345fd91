namespace Conveyor.Contracts.Workers;

/// <summary>A worker process the server has heard from (<c>GET /v1/workers</c>): the server writes it, the SDK reads it.</summary>
/// <param name="Wid">The worker's id, as it announced it.</param>
/// <param name="Hostname">The machine it runs on, when it said.</param>
/// <param name="Pid">Its process id, when it said.</param>
/// <param name="Labels">Free-form labels it announced.</param>
/// <param name="StartedAt">When the server first heard from it.</param>
/// <param name="LastBeatAt">Its last heartbeat.</param>
/// <param name="State"><c>running</c>, <c>quiet</c> (asked to stop fetching) or <c>terminate</c> (asked to shut down).</param>
public sealed record WorkerView(
    string Wid, string? Hostname, int? Pid, IReadOnlyList<string> Labels, DateTimeOffset StartedAt, DateTimeOffset LastBeatAt, string State);
