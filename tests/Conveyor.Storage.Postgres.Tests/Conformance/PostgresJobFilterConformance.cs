using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresJobFilterConformance : JobFilterConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
