using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresEnqueueConformance : EnqueueConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
