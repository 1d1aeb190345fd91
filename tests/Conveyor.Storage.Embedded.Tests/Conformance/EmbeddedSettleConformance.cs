using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedSettleConformance : SettleConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
