using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedFlushConformance : FlushConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
