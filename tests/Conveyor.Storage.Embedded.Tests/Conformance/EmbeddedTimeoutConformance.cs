using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedTimeoutConformance : TimeoutConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
