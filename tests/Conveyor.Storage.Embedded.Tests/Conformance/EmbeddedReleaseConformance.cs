using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedReleaseConformance : ReleaseConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
