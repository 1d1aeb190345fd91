namespace Conveyor.Contracts.Workers;

/// <summary>
/// A lease no longer held, under the id and token the check named. <see cref="Reason"/>: <c>cancelled</c> (the job was
/// cancelled), <c>lost</c> (expired, released or settled; the job may run elsewhere) or <c>unknown</c> (no such job).
/// </summary>
public sealed record LostLeaseView(string Id, string Token, string Reason);
