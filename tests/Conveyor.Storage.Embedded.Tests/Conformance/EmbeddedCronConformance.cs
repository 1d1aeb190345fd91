using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedCronConformance : CronConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
