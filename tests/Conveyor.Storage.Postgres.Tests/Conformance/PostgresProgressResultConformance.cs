using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresProgressResultConformance : ProgressResultConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
