using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Npgsql;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>Migration 0005 on a schema an older build filled: every finished job kept, counted, partitioned by its day.</summary>
public sealed class ArchiveMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Open_Version3SchemaWithFinishedJobs_MovesThemIntoDayPartitionsWithNothingLost()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await OldSchema.CreateAsync(cluster, schema, 3, Ct);
        var day1 = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var day2 = day1.AddDays(1);
        var never = DateTimeOffset.MaxValue.UtcTicks;
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await OldSchema.ExecuteAsync(connection, $$"""
                INSERT INTO "{{schema}}".jobs_done (id, seq, queue, type, state, priority, attempt, max_attempts, keep_dead, lease_seconds,
                    created_at, finished_at, backoff_kind, backoff_seconds, tags, args, unique_key, unique_until, unique_mode, unique_holder, result)
                VALUES
                    ('c1', 1, 'q', 'mail', 5, 0, 1, 25, true, 30, {{day1.UtcTicks}}, {{day1.UtcTicks}}, 0, 0, '{a}', '\x5b315d', NULL, NULL, 0, NULL, '\x74727565'),
                    ('c2', 2, 'q', 'mail', 5, 0, 1, 25, true, 30, {{day1.UtcTicks}}, {{day2.UtcTicks}}, 0, 0, '{}', '\x5b325d', NULL, NULL, 0, NULL, NULL),
                    ('d1', 3, 'q', 'bill', 6, 0, 1, 1, true, 30, {{day1.UtcTicks}}, {{day2.UtcTicks}}, 0, 0, '{}', '\x5b335d', 'k', {{never}}, 2, 'k', NULL),
                    ('x1', 4, 'q', 'mail', 7, 0, 0, 25, true, 30, {{day1.UtcTicks}}, {{day2.UtcTicks + 1}}, 0, 0, '{}', '\x5b345d', NULL, NULL, 0, NULL, NULL)
                """, Ct);
        }

        await using var store = await PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = schema },
            new JobStoreSettings { Time = new FakeTimeProvider(day2.AddHours(1)) },
            cancellationToken: Ct);

        var c1 = await store.GetJobAsync(new JobGet("c1"), Ct);
        Assert.Equal((JobState.Completed, "mail", "[1]", day1, "true"), (c1?.State, c1?.Type, System.Text.Encoding.UTF8.GetString(c1!.Args.Span), c1.FinishedAt, System.Text.Encoding.UTF8.GetString(c1.Result!.Value.Span)));
        Assert.Equal(["a"], c1.Tags);
        Assert.Equal(JobState.Completed, (await store.GetJobAsync(new JobGet("c2"), Ct))?.State);
        Assert.Equal(JobState.Dead, (await store.GetJobAsync(new JobGet("d1"), Ct))?.State);
        Assert.Equal(JobState.Cancelled, (await store.GetJobAsync(new JobGet("x1"), Ct))?.State);

        var counts = (await store.GetStatsAsync(Ct)).Counts;
        Assert.Equal((2, 1, 1), (counts[JobState.Completed], counts[JobState.Dead], counts[JobState.Cancelled]));

        Assert.Equal(
            [("c1", "jobs_done_completed_20260301"), ("c2", "jobs_done_completed_20260302"), ("d1", $"jobs_done_dead_{DeadRangeStart(day2):yyyyMMdd}"), ("x1", "jobs_done_cancelled_20260302")],
            await PartitionsAsync(cluster, schema));

        // The dead job still holds its key (until completed).
        var again = Assert.Single((await store.EnqueueAsync(
            new JobEnqueue([new JobSpec { Type = "bill", Queue = "q", UniqueKey = "k", UniqueMode = UniqueMode.UntilCompleted }]), Ct)).Jobs);
        Assert.Equal(new EnqueuedJob("d1", false) { UniqueHeld = true }, again);
    }

    /// <summary>The first day of the dead jobs' partition (30 days from a multiple of 30) holding <paramref name="at"/>.</summary>
    private static DateOnly DeadRangeStart(DateTimeOffset at)
    {
        var day = ArchivePartitions.Day(at.UtcTicks);
        return DateOnly.FromDayNumber(day - (day % ArchivePartitions.DaysPerPartition(JobState.Dead)));
    }

    private static async Task<List<(string, string)>> PartitionsAsync(PostgresCluster cluster, string schema)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT d.id, c.relname FROM \"{schema}\".jobs_done d JOIN pg_class c ON c.oid = d.tableoid ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
