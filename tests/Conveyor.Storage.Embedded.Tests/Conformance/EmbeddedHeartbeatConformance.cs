using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedHeartbeatConformance : HeartbeatConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
