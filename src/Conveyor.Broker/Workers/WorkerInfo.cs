namespace Conveyor.Broker.Workers;

/// <summary>A worker process as the registry knows it (from its handshake and heartbeats).</summary>
/// <param name="Wid">The worker id it chose.</param>
/// <param name="Hostname">The host it said it runs on.</param>
/// <param name="Pid">Its process id, when it said.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="StartedAt">When the registry first saw it.</param>
/// <param name="LastBeat">Its last handshake or heartbeat.</param>
/// <param name="State">What an operator asked of it.</param>
public sealed record WorkerInfo(
    string Wid,
    string? Hostname,
    int? Pid,
    IReadOnlyList<string> Labels,
    DateTimeOffset StartedAt,
    DateTimeOffset LastBeat,
    WorkerState State);
