using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresCancelRetryConformance : CancelRetryConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
