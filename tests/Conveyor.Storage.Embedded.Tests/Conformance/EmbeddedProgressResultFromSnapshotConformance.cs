using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

/// <summary>The progress and result facts again, reopening from a snapshot (body version 5) instead of the log.</summary>
public sealed class EmbeddedProgressResultFromSnapshotConformance : ProgressResultConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness(snapshotBeforeReopen: true);
}
