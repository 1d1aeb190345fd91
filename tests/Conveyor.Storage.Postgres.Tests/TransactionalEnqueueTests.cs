using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Npgsql;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// <see cref="PostgresTransactionalEnqueue"/>: a job written in the application's own transaction exists iff it commits,
/// and only a commit wakes a fetch waiting on a node.
/// </summary>
public sealed class TransactionalEnqueueTests
{
    private const string Queue = "orders";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_TransactionCommitted_JobExistsAndAWaitingFetchGetsIt()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());
        await using var node = await OpenNodeAsync(cluster, schema);
        var table = await CreateOrdersTableAsync(cluster);
        var fetch = node.FetchAsync(new JobFetch([Queue], 1, "w", TimeSpan.FromSeconds(30)), Ct).AsTask();

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await InsertOrderAsync(connection, transaction, table, 7);
        var id = await PostgresTransactionalEnqueue.EnqueueAsync(
            connection, transaction, new JobSpec { Type = "order.confirm", Queue = Queue, Args = "[7]"u8.ToArray() }, new PostgresEnqueueOptions { Schema = schema }, Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.False(fetch.IsCompleted);
        Assert.Null(await node.GetJobAsync(new JobGet(id), Ct));
        await transaction.CommitAsync(Ct);

        var job = Assert.Single(await fetch.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(id, job.Id);
        Assert.Equal("[7]"u8.ToArray(), job.Args.ToArray());
        Assert.Equal(1, await CountOrdersAsync(cluster, table));
    }

    [Fact]
    public async Task Enqueue_TransactionRolledBack_NoJobAndNoWakeUp()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());
        await using var node = await OpenNodeAsync(cluster, schema);
        var table = await CreateOrdersTableAsync(cluster);
        var fetch = node.FetchAsync(new JobFetch([Queue], 1, "w", TimeSpan.FromSeconds(2)), Ct).AsTask();

        string id;
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var transaction = await connection.BeginTransactionAsync(Ct);
            await InsertOrderAsync(connection, transaction, table, 8);
            id = await PostgresTransactionalEnqueue.EnqueueAsync(
                connection, transaction, new JobSpec { Type = "order.confirm", Queue = Queue }, new PostgresEnqueueOptions { Schema = schema }, Ct);
            await transaction.RollbackAsync(Ct);
        }

        Assert.Empty(await fetch.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        Assert.Null(await node.GetJobAsync(new JobGet(id), Ct));
        Assert.Empty((await node.ListJobsAsync(new JobList(), Ct)).Jobs);
        Assert.Equal(0, await CountOrdersAsync(cluster, table));
    }

    [Fact]
    public async Task Enqueue_UniqueKeyHeldByANodesJob_ReturnsItAndTheTransactionGoesOn()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());
        await using var node = await OpenNodeAsync(cluster, schema);
        var spec = new JobSpec { Type = "report", Queue = Queue, UniqueKey = "report:1", UniqueForSeconds = 3600 };
        var held = (await node.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs[0].Id;
        var table = await CreateOrdersTableAsync(cluster);

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var result = await PostgresTransactionalEnqueue.EnqueueAsync(connection, transaction, [spec, spec with { UniqueKey = "report:2" }], new PostgresEnqueueOptions { Schema = schema }, Ct);
        await InsertOrderAsync(connection, transaction, table, 9);
        await transaction.CommitAsync(Ct);

        Assert.Equal(held, result.Jobs[0].Id);
        Assert.False(result.Jobs[0].Created);
        Assert.True(result.Jobs[1].Created);
        Assert.Equal(2, (await node.ListJobsAsync(new JobList(), Ct)).Jobs.Count);
        Assert.Equal(1, await CountOrdersAsync(cluster, table));
    }

    [Fact]
    public async Task Enqueue_InvalidJob_RefusedNamingTheField()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());
        await using var node = await OpenNodeAsync(cluster, schema);
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => PostgresTransactionalEnqueue.EnqueueAsync(
            connection, transaction, new JobSpec { Type = "t", Queue = Queue, Priority = 42 }, new PostgresEnqueueOptions { Schema = schema }, Ct));
        Assert.Contains("priority", error.Message, StringComparison.Ordinal);
    }

    private static Task<PostgresJobStore> OpenNodeAsync(PostgresCluster cluster, string schema) =>
        PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = schema, PollInterval = TimeSpan.FromHours(1) },
            new JobStoreSettings(),
            cancellationToken: Ct);

    private static async Task<string> CreateOrdersTableAsync(PostgresCluster cluster)
    {
        var table = "orders_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"CREATE TABLE {table} (id integer PRIMARY KEY)", connection);
        await command.ExecuteNonQueryAsync(Ct);
        return table;
    }

    private static async Task InsertOrderAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, int id)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {table} (id) VALUES ({id})", connection, transaction);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<long> CountOrdersAsync(PostgresCluster cluster, string table)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
