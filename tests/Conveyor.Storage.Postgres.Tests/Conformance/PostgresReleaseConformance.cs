using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresReleaseConformance : ReleaseConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
