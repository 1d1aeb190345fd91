using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

/// <summary>The timeout facts again, restarting from a snapshot (body version 5) instead of replaying the log.</summary>
public sealed class EmbeddedTimeoutFromSnapshotConformance : TimeoutConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness(snapshotBeforeReopen: true);
}
