using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

/// <summary>The restart facts again, recovering from a snapshot instead of replaying the whole log.</summary>
public sealed class EmbeddedRestartFromSnapshotConformance : RestartConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness(snapshotBeforeReopen: true);
}
