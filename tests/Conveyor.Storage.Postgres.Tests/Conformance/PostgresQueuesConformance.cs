using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresQueuesConformance : QueuesConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
