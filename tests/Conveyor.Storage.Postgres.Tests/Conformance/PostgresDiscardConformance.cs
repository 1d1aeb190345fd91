using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresDiscardConformance : DiscardConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
