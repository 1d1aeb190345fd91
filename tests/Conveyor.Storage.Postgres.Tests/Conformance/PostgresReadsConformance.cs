using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresReadsConformance : ReadsConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
