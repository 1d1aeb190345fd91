using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedQueuesConformance : QueuesConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
