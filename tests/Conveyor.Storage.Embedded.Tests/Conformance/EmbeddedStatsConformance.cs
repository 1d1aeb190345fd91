using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedStatsConformance : StatsConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
