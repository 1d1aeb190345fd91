using Conveyor.Core.Storage;
using Conveyor.Testing;
using Npgsql;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>The schema migrations: fresh, up to date, refused when newer or changed, and two nodes migrating at once.</summary>
public sealed class MigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open_FreshSchema_AppliesEveryMigrationWithItsChecksum()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());

        await using (await OpenAsync(cluster, schema))
        {
        }

        var recorded = await RecordedAsync(cluster, schema);
        Assert.Equal(Migrator.Known.Select(m => (m.Version, m.Checksum)), recorded);
    }

    [Fact]
    public async Task Open_FreshSchema_HotTableAnalyzedAfterAThousandChangedRows()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());

        await using (await OpenAsync(cluster, schema))
        {
        }

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(
            "SELECT reloptions FROM pg_class WHERE oid = to_regclass($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"\"{schema}\".jobs" });
        var options = (string[])(await command.ExecuteScalarAsync(Ct))!;
        Assert.Contains("autovacuum_analyze_threshold=1000", options);
        Assert.Contains("autovacuum_analyze_scale_factor=0.02", options);
    }

    [Fact]
    public async Task Open_UpToDateSchema_AppliesNothingAndKeepsTheJobs()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());
        string id;
        await using (var store = await OpenAsync(cluster, schema))
        {
            id = (await store.EnqueueAsync(new JobEnqueue([new Core.Jobs.JobSpec { Type = "t" }]), Ct)).Jobs[0].Id;
        }

        await using (var again = await OpenAsync(cluster, schema))
        {
            Assert.NotNull(await again.GetJobAsync(new JobGet(id), Ct));
        }

        Assert.Equal(Migrator.Known.Count, (await RecordedAsync(cluster, schema)).Count);
    }

    [Fact]
    public async Task Open_SchemaMigratedByANewerVersion_Refused()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());
        await using (await OpenAsync(cluster, schema))
        {
        }

        await ExecuteAsync(cluster, $"INSERT INTO \"{schema}\".migrations (version, name, checksum) VALUES (9999, '9999_future', 'x')");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync(cluster, schema));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Contains("9999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AppliedMigrationChanged_Refused()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());
        await using (await OpenAsync(cluster, schema))
        {
        }

        await ExecuteAsync(cluster, $"UPDATE \"{schema}\".migrations SET checksum = 'changed' WHERE version = 1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync(cluster, schema));
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_FourNodesAtOnceOnAFreshSchema_EachMigrationAppliedOnce()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenAsync(cluster, schema))));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal(Migrator.Known.Select(m => (m.Version, m.Checksum)), await RecordedAsync(cluster, schema));
    }

    [Fact]
    public async Task Open_SchemaAtVersion1WithFinishedJobs_UpgradesAndCountsThem()
    {
        var (cluster, schema) = (await PostgresCluster.SharedAsync(), PostgresStoreHarness.NewSchema());
        await OldSchema.CreateAsync(cluster, schema, 1, Ct);
        var at = DateTimeOffset.UtcNow.UtcTicks;
        await ExecuteAsync(cluster, $$"""
            INSERT INTO "{{schema}}".jobs_done (id, seq, queue, type, state, priority, attempt, max_attempts, keep_dead, lease_seconds,
                created_at, finished_at, backoff_kind, backoff_seconds, tags, args)
            SELECT 'j' || i, i, 'q', 't', 7, 0, 0, 25, true, 30, {{at}}, {{at}}, 0, 0, '{}', '\x5b5d' FROM generate_series(1, 2) i
            """);

        await using var upgraded = await OpenAsync(cluster, schema);

        Assert.Equal(2, (await upgraded.GetStatsAsync(Ct)).Counts[Core.Jobs.JobState.Cancelled]);
        Assert.Equal(Migrator.Known.Select(m => (m.Version, m.Checksum)), await RecordedAsync(cluster, schema));
    }

    [Theory]
    [InlineData("Conveyor")]
    [InlineData("a-b")]
    [InlineData("x\"; DROP TABLE y; --")]
    public async Task Open_SchemaNameNotPlain_Refused(string schema)
    {
        var cluster = await PostgresCluster.SharedAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => OpenAsync(cluster, schema));
    }

    private static Task<PostgresJobStore> OpenAsync(PostgresCluster cluster, string schema) =>
        PostgresJobStore.OpenAsync(new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = schema }, new JobStoreSettings(), cancellationToken: Ct);

    private static async Task<List<(int Version, string Checksum)>> RecordedAsync(PostgresCluster cluster, string schema)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT version, checksum FROM \"{schema}\".migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(int, string)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return rows;
    }

    private static async Task ExecuteAsync(PostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
