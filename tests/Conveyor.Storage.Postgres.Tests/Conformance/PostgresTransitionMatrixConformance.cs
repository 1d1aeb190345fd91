using Conveyor.Storage.Conformance;

namespace Conveyor.Storage.Postgres.Tests.Conformance;

public sealed class PostgresTransitionMatrixConformance : TransitionMatrixConformance
{
    protected override IStoreHarness CreateHarness() => new PostgresStoreHarness();
}
