using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedCancelRetryConformance : CancelRetryConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
