namespace Conveyor.Storage.Embedded.Snapshots;

/// <summary>A validated snapshot: its body covers every WAL segment numbered below <see cref="CoversSegmentsBefore"/>.</summary>
internal sealed record LoadedSnapshot(long CoversSegmentsBefore, byte[] Body, string FileName);
