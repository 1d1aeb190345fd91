using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresFetchConformance : FetchConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
