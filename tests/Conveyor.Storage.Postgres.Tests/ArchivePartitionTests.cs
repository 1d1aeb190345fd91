using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Npgsql;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// The archive of finished jobs partitioned by state and day: maintenance creates the days ahead, retention drops whole
/// days (the partition goes from the catalog, the counts stay right), unique keys held by dead jobs survive it, and a job
/// archived many days ago is still found by id.
/// </summary>
public sealed class ArchivePartitionTests
{
    private const string Queue = "archive";

    private static readonly DateTimeOffset Start = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prune_DayRollover_CreatesTheNextDaysPartitionsAndNewJobsLandThere()
    {
        var time = new FakeTimeProvider(Start);
        var schema = PostgresStoreHarness.NewSchema();
        await using var store = await OpenAsync(schema, time, RetentionPolicy.Default);

        await store.PruneAsync(new JobsPrune(), Ct);
        Assert.Equal(
            new[]
            {
                "jobs_done_cancelled_20260310", "jobs_done_cancelled_20260311", "jobs_done_completed_20260310", "jobs_done_completed_20260311",
                PartitionName(JobState.Dead, Start),
            }.Order(StringComparer.Ordinal),
            await DayPartitionsAsync(schema));

        time.Advance(TimeSpan.FromDays(1));
        await store.PruneAsync(new JobsPrune(), Ct);
        var completed = await FinishAsync(store, JobState.Completed);

        Assert.Contains("jobs_done_completed_20260312", await DayPartitionsAsync(schema));
        Assert.Equal("jobs_done_completed_20260311", await PartitionOfAsync(schema, completed));
    }

    [Fact]
    public async Task Prune_DayWithRowsAlreadyInTheDefaultPartition_LeftThereAndPrunedRowByRowOnTheWindow()
    {
        var time = new FakeTimeProvider(Start);
        var schema = PostgresStoreHarness.NewSchema();
        await using var store = await OpenAsync(schema, time, RetentionPolicy.Default);
        var completed = await FinishAsync(store, JobState.Completed);

        await store.PruneAsync(new JobsPrune(), Ct);

        Assert.Equal("jobs_done_completed_default", await PartitionOfAsync(schema, completed));
        Assert.DoesNotContain("jobs_done_completed_20260310", await DayPartitionsAsync(schema));
        Assert.Contains("jobs_done_completed_20260311", await DayPartitionsAsync(schema));
        Assert.Equal(1, (await store.GetStatsAsync(Ct)).Counts[JobState.Completed]);

        time.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(1, await store.PruneAsync(new JobsPrune(), Ct));
        Assert.Null(await store.GetJobAsync(new JobGet(completed), Ct));
        await AssertCountsMatchRowsAsync(store, schema);
    }

    [Fact]
    public async Task Prune_DayPastTheWindow_DropsItsPartitionInsteadOfDeletingRows()
    {
        var time = new FakeTimeProvider(Start);
        var schema = PostgresStoreHarness.NewSchema();
        await using var store = await OpenAsync(schema, time, RetentionPolicy.Default);
        await store.PruneAsync(new JobsPrune(), Ct);
        var jobs = new[] { await FinishAsync(store, JobState.Completed), await FinishAsync(store, JobState.Completed), await FinishAsync(store, JobState.Completed) };
        var dead = await FinishAsync(store, JobState.Dead);
        var partition = await PartitionOfAsync(schema, jobs[0]);
        var before = await RelationIdAsync(schema, partition);
        Assert.NotNull(before);

        time.Advance(TimeSpan.FromDays(2));

        // Max bounds row deletes only: the whole day goes in one drop.
        Assert.Equal(3, await store.PruneAsync(new JobsPrune(1), Ct));
        Assert.Null(await RelationIdAsync(schema, partition));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM pg_inherits WHERE inhrelid = {before}"));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM pg_class WHERE oid = {before}"));
        foreach (var id in jobs)
        {
            Assert.Null(await store.GetJobAsync(new JobGet(id), Ct));
        }

        Assert.Equal(JobState.Dead, (await store.GetJobAsync(new JobGet(dead), Ct))?.State);
        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal(0, stats.Counts[JobState.Completed]);
        Assert.Equal(1, stats.Counts[JobState.Dead]);
        await AssertCountsMatchRowsAsync(store, schema);
    }

    [Fact]
    public async Task Prune_TwoNodesAtOnce_DropTheDayOnceAndKeepTheCountsRight()
    {
        var time = new FakeTimeProvider(Start);
        var schema = PostgresStoreHarness.NewSchema();
        await using var one = await OpenAsync(schema, time, RetentionPolicy.Default);
        await using var two = await OpenAsync(schema, time, RetentionPolicy.Default);
        await one.PruneAsync(new JobsPrune(), Ct);
        for (var i = 0; i < 4; i++)
        {
            await FinishAsync(one, JobState.Completed);
        }

        time.Advance(TimeSpan.FromDays(2));
        var pruned = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => Task.Run(async () => await (i % 2 == 0 ? one : two).PruneAsync(new JobsPrune(), Ct), Ct)));

        Assert.Equal(4, pruned.Sum());
        Assert.Null(await RelationIdAsync(schema, "jobs_done_completed_20260310"));
        Assert.Equal(0, (await two.GetStatsAsync(Ct)).Counts[JobState.Completed]);
        await AssertCountsMatchRowsAsync(one, schema);
    }

    [Fact]
    public async Task Prune_OverTheCap_DropsTheOldestEndedDaysThenDeletesOnlyWhatRemainsOverFromTheBoundaryDay()
    {
        var time = new FakeTimeProvider(Start);
        var schema = PostgresStoreHarness.NewSchema();
        var days = new List<string[]>();
        await using (var filling = await OpenAsync(schema, time, RetentionPolicy.Default with { Completed = TimeSpan.FromDays(30) }))
        {
            for (var day = 0; day < 3; day++)
            {
                await filling.PruneAsync(new JobsPrune(), Ct);
                days.Add([await FinishAsync(filling, JobState.Completed), await FinishAsync(filling, JobState.Completed)]);
                time.Advance(day < 2 ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1));
            }
        }

        await using var store = await OpenAsync(schema, time, RetentionPolicy.Default with { Completed = TimeSpan.FromDays(30), CompletedCap = 3 });
        Assert.Equal(3, await store.PruneAsync(new JobsPrune(), Ct));

        Assert.DoesNotContain("jobs_done_completed_20260310", await DayPartitionsAsync(schema));
        Assert.Contains("jobs_done_completed_20260311", await DayPartitionsAsync(schema));
        Assert.Null(await store.GetJobAsync(new JobGet(days[0][0]), Ct));
        Assert.Null(await store.GetJobAsync(new JobGet(days[0][1]), Ct));
        Assert.Null(await store.GetJobAsync(new JobGet(days[1][0]), Ct));
        Assert.NotNull(await store.GetJobAsync(new JobGet(days[1][1]), Ct));
        Assert.NotNull(await store.GetJobAsync(new JobGet(days[2][0]), Ct));
        Assert.NotNull(await store.GetJobAsync(new JobGet(days[2][1]), Ct));
        Assert.Equal(3, (await store.GetStatsAsync(Ct)).Counts[JobState.Completed]);
        await AssertCountsMatchRowsAsync(store, schema);
        Assert.Equal(0, await store.PruneAsync(new JobsPrune(), Ct));
    }

    [Fact]
    public async Task UniqueKeyHeldByADeadJob_StillRefusedAcrossDaysAndFreedWhenItsPartitionIsDropped()
    {
        var time = new FakeTimeProvider(Start);
        var schema = PostgresStoreHarness.NewSchema();
        await using var store = await OpenAsync(schema, time, RetentionPolicy.Default with { Dead = TimeSpan.FromDays(3) });
        await store.PruneAsync(new JobsPrune(), Ct);
        var spec = new JobSpec { Type = "t", Queue = Queue, UniqueKey = "k", UniqueMode = UniqueMode.UntilCompleted, MaxAttempts = 1 };
        var dead = await FinishAsync(store, JobState.Dead, spec);
        var partition = await PartitionOfAsync(schema, dead);
        Assert.Equal(PartitionName(JobState.Dead, Start), partition);

        for (var day = 0; day < 2; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            await store.PruneAsync(new JobsPrune(), Ct);
            var again = Assert.Single((await store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs);
            Assert.Equal(new EnqueuedJob(dead, false) { UniqueHeld = true }, again);
        }

        // The whole range (30 days for dead jobs) past the 3-day window.
        time.SetUtcNow(PartitionEnd(JobState.Dead, Start).AddDays(3).AddHours(1));
        Assert.Equal(1, await store.PruneAsync(new JobsPrune(), Ct));
        Assert.Null(await RelationIdAsync(schema, partition));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM \"{schema}\".done_holders"));

        var fresh = Assert.Single((await store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs);
        Assert.True(fresh.Created);
        Assert.NotEqual(dead, fresh.Id);
    }

    [Fact]
    public async Task GetById_JobsArchivedManyDaysAgo_FoundAmongThePartitions()
    {
        var time = new FakeTimeProvider(Start);
        var schema = PostgresStoreHarness.NewSchema();
        await using var store = await OpenAsync(schema, time, RetentionPolicy.Default with { Completed = TimeSpan.FromDays(60) });
        await store.PruneAsync(new JobsPrune(), Ct);
        var dead = await FinishAsync(store, JobState.Dead);
        var first = await FinishAsync(store, JobState.Completed);
        for (var day = 0; day < 40; day++)
        {
            time.Advance(TimeSpan.FromDays(1));
            await store.PruneAsync(new JobsPrune(), Ct);
            await FinishAsync(store, JobState.Completed);
        }

        Assert.True((await DayPartitionsAsync(schema)).Count(p => p.StartsWith("jobs_done_completed_", StringComparison.Ordinal)) >= 41);
        Assert.Equal((JobState.Dead, dead), ((await store.GetJobAsync(new JobGet(dead), Ct))?.State, dead));
        Assert.Equal(JobState.Completed, (await store.GetJobAsync(new JobGet(first), Ct))?.State);
        Assert.Equal(PartitionName(JobState.Dead, Start), await PartitionOfAsync(schema, dead));
        Assert.Equal("jobs_done_completed_20260310", await PartitionOfAsync(schema, first));
        var counts = (await store.GetStatsAsync(Ct)).Counts;
        Assert.Equal((41, 1), (counts[JobState.Completed], counts[JobState.Dead]));
    }

    /// <summary>The name of the partition of <paramref name="state"/> holding <paramref name="at"/>.</summary>
    private static string PartitionName(JobState state, DateTimeOffset at)
    {
        var first = PartitionStart(state, at);
        return $"jobs_done_{state.ToString().ToLowerInvariant()}_{DateOnly.FromDayNumber(first):yyyyMMdd}";
    }

    private static DateTimeOffset PartitionEnd(JobState state, DateTimeOffset at) =>
        new(DateOnly.FromDayNumber(PartitionStart(state, at) + ArchivePartitions.DaysPerPartition(state)), TimeOnly.MinValue, TimeSpan.Zero);

    private static int PartitionStart(JobState state, DateTimeOffset at)
    {
        var day = ArchivePartitions.Day(at.UtcTicks);
        return day - (day % ArchivePartitions.DaysPerPartition(state));
    }

    /// <summary>Enqueues a job and finishes it in <paramref name="state"/> at the clock's now.</summary>
    private static async Task<string> FinishAsync(PostgresJobStore store, JobState state, JobSpec? spec = null)
    {
        spec ??= new JobSpec { Type = "t", Queue = Queue, MaxAttempts = 1 };
        var id = Assert.Single((await store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs).Id;
        if (state == JobState.Cancelled)
        {
            Assert.Equal(CommandStatus.Ok, (await store.CancelAsync(new JobCancel(id), Ct)).Status);
            return id;
        }

        var job = Assert.Single(await store.FetchAsync(new JobFetch([Queue], 1, null), Ct));
        Assert.Equal(id, job.Id);
        var settle = state == JobState.Completed
            ? new JobSettle([new JobAck(job.Key, job.Lease!.Token)], [])
            : new JobSettle([], [new JobFail(job.Key, job.Lease!.Token, "E", "m", [])]);
        Assert.Equal(SettleStatus.Ok, Assert.Single(await store.SettleAsync(settle, Ct)).Status);
        Assert.Equal(state, (await store.GetJobAsync(new JobGet(id), Ct))?.State);
        return id;
    }

    /// <summary>The counts stats report (done_counts) equal the rows there are.</summary>
    private static async Task AssertCountsMatchRowsAsync(PostgresJobStore store, string schema)
    {
        var stats = await store.GetStatsAsync(Ct);
        foreach (var state in new[] { JobState.Completed, JobState.Dead, JobState.Cancelled })
        {
            Assert.Equal(await ScalarAsync($"SELECT count(*) FROM \"{schema}\".jobs_done WHERE state = {(int)state}"), stats.Counts[state]);
        }
    }

    private static async Task<List<string>> DayPartitionsAsync(string schema)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand($"""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            JOIN pg_namespace n ON n.oid = p.relnamespace
            WHERE n.nspname = '{schema}' AND p.relname IN ('jobs_done_completed', 'jobs_done_dead', 'jobs_done_cancelled')
                AND c.relname NOT LIKE '%default' ORDER BY 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var names = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task<string> PartitionOfAsync(string schema, string id)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand($"SELECT c.relname FROM \"{schema}\".jobs_done d JOIN pg_class c ON c.oid = d.tableoid WHERE d.id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<long?> RelationIdAsync(string schema, string name)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand($"SELECT to_regclass('\"{schema}\".\"{name}\"')::oid::bigint", connection);
        return await command.ExecuteScalarAsync(Ct) is long oid ? oid : null;
    }

    private static async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection((await PostgresCluster.SharedAsync()).ConnectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task<PostgresJobStore> OpenAsync(string schema, TimeProvider time, RetentionPolicy retention) =>
        await PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = (await PostgresCluster.SharedAsync()).ConnectionString, Schema = schema },
            new JobStoreSettings { Time = time, Retention = retention },
            cancellationToken: Ct);
}
