using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresQueueRemoveConformance : QueueRemoveConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
