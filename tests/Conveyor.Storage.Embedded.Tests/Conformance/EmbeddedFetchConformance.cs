using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedFetchConformance : FetchConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
