using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresSettleConformance : SettleConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
