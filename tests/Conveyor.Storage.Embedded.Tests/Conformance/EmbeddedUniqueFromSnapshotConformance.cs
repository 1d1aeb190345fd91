using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

/// <summary>The unique facts again, restarting from a snapshot (body version 5) instead of replaying the log.</summary>
public sealed class EmbeddedUniqueFromSnapshotConformance : UniqueConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness(snapshotBeforeReopen: true);
}
