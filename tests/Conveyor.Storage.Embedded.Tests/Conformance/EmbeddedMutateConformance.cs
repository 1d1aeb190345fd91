using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedMutateConformance : MutateConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
