using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedEventsConformance : EventsConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
