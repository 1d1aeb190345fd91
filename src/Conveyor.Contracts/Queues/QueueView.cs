namespace Conveyor.Contracts.Queues;

/// <summary>A queue and its counts (<c>GET /v1/queues</c>).</summary>
public sealed record QueueView(string Name, int Available, int Scheduled, int Retrying, int Active, bool Paused);
