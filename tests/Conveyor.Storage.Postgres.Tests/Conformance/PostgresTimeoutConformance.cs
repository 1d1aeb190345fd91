using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresTimeoutConformance : TimeoutConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
