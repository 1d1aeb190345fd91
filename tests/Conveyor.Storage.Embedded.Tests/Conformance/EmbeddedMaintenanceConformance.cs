using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedMaintenanceConformance : MaintenanceConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
