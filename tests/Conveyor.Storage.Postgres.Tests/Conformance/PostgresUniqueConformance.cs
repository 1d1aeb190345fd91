using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresUniqueConformance : UniqueConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
