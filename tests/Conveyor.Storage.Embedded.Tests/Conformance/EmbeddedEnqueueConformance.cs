using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedEnqueueConformance : EnqueueConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
