using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedReadsConformance : ReadsConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
