using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresStatsConformance : StatsConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
