using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresCancelRunningConformance : CancelRunningConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
