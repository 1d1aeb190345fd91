using Xunit;

[assembly: AssemblyFixture(typeof(Conveyor.Storage.Postgres.Tests.PostgresClusterFixture))]

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>Stops the run's shared cluster (<see cref="PostgresCluster.SharedAsync"/>) when every test has run.</summary>
public sealed class PostgresClusterFixture : IAsyncDisposable
{
    public ValueTask DisposeAsync() => new(PostgresCluster.StopSharedAsync());
}
