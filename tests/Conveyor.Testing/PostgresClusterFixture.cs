namespace Conveyor.Testing;

/// <summary>
/// Stops the run's shared cluster (<see cref="PostgresCluster.SharedAsync"/>) when every test of the assembly has run: a
/// test assembly that uses it declares <c>[assembly: AssemblyFixture(typeof(PostgresClusterFixture))]</c>.
/// </summary>
public sealed class PostgresClusterFixture : IAsyncDisposable
{
    public ValueTask DisposeAsync() => new(PostgresCluster.StopSharedAsync());
}
