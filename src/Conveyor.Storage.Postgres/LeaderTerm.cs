namespace Conveyor.Storage.Postgres;

/// <summary>A node's hold on the leader row: its id and the term it won. Maintenance is fenced on both.</summary>
internal readonly record struct LeaderTerm(string Node, long Term);
