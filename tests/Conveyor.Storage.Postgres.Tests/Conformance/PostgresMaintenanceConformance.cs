using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresMaintenanceConformance : MaintenanceConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
