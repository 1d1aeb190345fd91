using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedProgressResultConformance : ProgressResultConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
