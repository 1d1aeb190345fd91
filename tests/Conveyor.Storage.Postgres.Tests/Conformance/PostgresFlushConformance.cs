using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresFlushConformance : FlushConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
