using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedDiscardConformance : DiscardConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
