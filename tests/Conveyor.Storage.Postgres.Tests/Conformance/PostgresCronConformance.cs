using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresCronConformance : CronConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
