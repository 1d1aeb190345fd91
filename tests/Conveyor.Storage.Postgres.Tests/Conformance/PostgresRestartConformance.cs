using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresRestartConformance : RestartConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
