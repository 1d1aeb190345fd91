using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedRestartConformance : RestartConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
