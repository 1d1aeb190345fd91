using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedCancelRunningConformance : CancelRunningConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
