using Conveyor.Testing;
using Xunit;

[assembly: AssemblyFixture(typeof(PostgresClusterFixture))]
