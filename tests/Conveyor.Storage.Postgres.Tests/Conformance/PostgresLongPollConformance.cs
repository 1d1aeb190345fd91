using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresLongPollConformance : LongPollConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
