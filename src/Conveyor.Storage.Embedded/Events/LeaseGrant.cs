namespace Conveyor.Storage.Embedded.Events;

/// <summary>One job leased with a new token until <paramref name="ExpiresAt"/>.</summary>
internal sealed record LeaseGrant(string Id, long Token, long ExpiresAt);
