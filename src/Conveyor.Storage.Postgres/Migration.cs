namespace Conveyor.Storage.Postgres;

/// <summary>One numbered SQL file.</summary>
internal sealed record Migration(int Version, string Name, string Sql, string Checksum);
