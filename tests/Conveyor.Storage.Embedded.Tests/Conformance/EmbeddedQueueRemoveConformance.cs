using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedQueueRemoveConformance : QueueRemoveConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
