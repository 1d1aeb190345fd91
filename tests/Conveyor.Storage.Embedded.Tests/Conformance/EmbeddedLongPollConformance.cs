using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Embedded.Tests.Conformance;

public sealed class EmbeddedLongPollConformance : LongPollConformance
{
    protected override IStoreHarness CreateHarness() => new EmbeddedStoreHarness();
}
