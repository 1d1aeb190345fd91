using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresHeartbeatConformance : HeartbeatConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
