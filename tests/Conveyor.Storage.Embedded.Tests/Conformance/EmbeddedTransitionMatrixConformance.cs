using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedTransitionMatrixConformance : TransitionMatrixConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
