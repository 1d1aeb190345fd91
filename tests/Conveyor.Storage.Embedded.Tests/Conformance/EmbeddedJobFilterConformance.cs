using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedJobFilterConformance : JobFilterConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
