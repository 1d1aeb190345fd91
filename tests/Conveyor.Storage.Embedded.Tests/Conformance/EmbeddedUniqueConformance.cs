using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedUniqueConformance : UniqueConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
