using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresMutateConformance : MutateConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
