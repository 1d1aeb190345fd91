using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Postgres;
using Conveyor.Testing;
using Npgsql;
using Xunit;

namespace Conveyor.Client.Postgres.Tests;

/// <summary>
/// <see cref="PostgresTransactionalEnqueue"/>: a job written in the application's own transaction exists iff it commits,
/// only a commit wakes a fetch waiting on a node, and losing a race for a unique key to another transaction undoes only
/// the enqueue (to its savepoint), not the application's transaction.
/// </summary>
public sealed class TransactionalEnqueueTests
{
    private const string Queue = "orders";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_TransactionCommitted_JobExistsAndAWaitingFetchGetsIt()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), NewSchema());
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
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), NewSchema());
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
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), NewSchema());
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
    public async Task EnqueueBatch_Committed_DueJobsRunAndTheScheduledOneWaits()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), NewSchema());
        await using var node = await OpenNodeAsync(cluster, schema);
        var fetch = node.FetchAsync(new JobFetch([Queue, "mail"], 10, "w", TimeSpan.FromSeconds(30)), Ct).AsTask();

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var result = await PostgresTransactionalEnqueue.EnqueueAsync(
            connection, transaction,
            [
                new JobSpec { Type = "order.confirm", Queue = Queue, Args = "[1]"u8.ToArray() },
                new JobSpec { Type = "order.mail", Queue = "mail", Args = "[1]"u8.ToArray() },
                new JobSpec { Type = "order.review", Queue = Queue, RunAt = DateTimeOffset.UtcNow.AddHours(1) },
            ],
            new PostgresEnqueueOptions { Schema = schema }, Ct);
        await transaction.CommitAsync(Ct);

        Assert.Equal(EnqueueStatus.Ok, result.Status);
        Assert.All(result.Jobs, j => Assert.True(j.Created));
        var leased = new List<JobInfo>(await fetch.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        while (leased.Count < 2)
        {
            leased.AddRange(await node.FetchAsync(new JobFetch([Queue, "mail"], 10, "w", TimeSpan.FromSeconds(10)), Ct));
        }

        Assert.Equal(new[] { result.Jobs[0].Id, result.Jobs[1].Id }.Order(StringComparer.Ordinal), leased.Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.Equal(JobState.Scheduled, (await node.GetJobAsync(new JobGet(result.Jobs[2].Id), Ct))?.State);
    }

    [Fact]
    public async Task Enqueue_LosesTheUniqueKeyToAnotherTransaction_ReturnsTheWinnerAndTheTransactionGoesOn()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), NewSchema());
        await using var node = await OpenNodeAsync(cluster, schema);
        var table = await CreateOrdersTableAsync(cluster);
        var spec = new JobSpec { Type = "report", Queue = Queue, UniqueKey = "report:1", UniqueForSeconds = 3600 };
        var options = new PostgresEnqueueOptions { Schema = schema };

        // The winner takes the key first but commits only once the loser's insert is waiting on it.
        await using var winner = new NpgsqlConnection(cluster.ConnectionString);
        await winner.OpenAsync(Ct);
        await using var winning = await winner.BeginTransactionAsync(Ct);
        var won = await PostgresTransactionalEnqueue.EnqueueAsync(winner, winning, spec, options, Ct);

        await using var loser = new NpgsqlConnection(cluster.ConnectionString);
        await loser.OpenAsync(Ct);
        await using var losing = await loser.BeginTransactionAsync(Ct);
        await InsertOrderAsync(loser, losing, table, 10);
        var lost = PostgresTransactionalEnqueue.EnqueueAsync(loser, losing, spec, options, Ct);
        await WaitingOnALockAsync(cluster, loser.ProcessID);
        await winning.CommitAsync(Ct);

        Assert.Equal(won, await lost.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        await InsertOrderAsync(loser, losing, table, 11);
        await losing.CommitAsync(Ct);
        Assert.Equal(2, await CountOrdersAsync(cluster, table));
        Assert.Equal(won, Assert.Single((await node.ListJobsAsync(new JobList(), Ct)).Jobs).Id);
    }

    [Fact]
    public async Task Enqueue_InvalidJob_RefusedNamingTheField()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), NewSchema());
        await using var node = await OpenNodeAsync(cluster, schema);
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => PostgresTransactionalEnqueue.EnqueueAsync(
            connection, transaction, new JobSpec { Type = "t", Queue = Queue, Priority = 42 }, new PostgresEnqueueOptions { Schema = schema }, Ct));
        Assert.Contains("priority", error.Message, StringComparison.Ordinal);
    }

    private static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Returns once the backend <paramref name="pid"/> waits for a lock (bounded, so a test that never gets there fails).</summary>
    private static async Task WaitingOnALockAsync(PostgresCluster cluster, int pid)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(bound.Token);
        await using var command = new NpgsqlCommand("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = pid });
        while (await command.ExecuteScalarAsync(bound.Token) is not "Lock")
        {
            await Task.Delay(10, bound.Token);
        }
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
