using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Npgsql;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// Finish waits, progress and until-completed unique keys across two store instances on one schema (two nodes): a wait on
/// one node is woken by the other's settle through NOTIFY, and a key a job holds while it dies is never lost in between.
/// </summary>
public sealed class MultiNodeWaitTests
{
    private const string Queue = "shared";

    /// <summary>Real time, only so that a broken wait fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Wait_OtherNodeAcks_WokenByNotifyNotByPoll()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        // An hour's poll: only the notification can answer the wait within the bound.
        await using var a = await OpenAsync(cluster, schema, TimeSpan.FromHours(1));
        await using var b = await OpenAsync(cluster, schema, TimeSpan.FromHours(1));
        var id = (await a.EnqueueAsync(new JobEnqueue([new JobSpec { Type = "t", Queue = Queue }]), Ct)).Jobs[0].Id;
        var job = Assert.Single(await a.FetchAsync(new JobFetch([Queue], 1, null), Ct));
        Assert.Equal(SettleStatus.Ok, await a.ReportProgressAsync(new JobProgressReport(job.Key, job.Lease!.Token, 50, "half"), Ct));

        var wait = b.WaitForFinishAsync(new JobWait(id, TimeSpan.FromHours(1)), Ct).AsTask();
        await WatchedAsync(cluster, schema, id);
        var seen = await b.GetJobAsync(new JobGet(id), Ct);
        Assert.Equal(50, seen?.Progress?.Percent);
        Assert.False(wait.IsCompleted);
        var results = await a.SettleAsync(new JobSettle([new JobAck(job.Key, job.Lease.Token) { Result = "42"u8.ToArray() }], []), Ct);
        Assert.Equal(SettleStatus.Ok, Assert.Single(results).Status);

        var finished = await wait.WaitAsync(Bound, Ct);
        Assert.Equal(JobState.Completed, finished?.State);
        Assert.Equal("42"u8.ToArray(), finished?.Result?.ToArray());
        Assert.Equal("half", finished?.Progress?.Message);
    }

    [Fact]
    public async Task Wait_OtherNodeDiscards_AnsweredAtThePoll()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema, TimeSpan.FromMilliseconds(100));
        await using var b = await OpenAsync(cluster, schema, TimeSpan.FromMilliseconds(100));
        var id = (await a.EnqueueAsync(new JobEnqueue([new JobSpec { Type = "t", Queue = Queue, RunAt = DateTimeOffset.UtcNow.AddHours(1) }]), Ct)).Jobs[0].Id;
        var wait = b.WaitForFinishAsync(new JobWait(id, TimeSpan.FromHours(1)), Ct).AsTask();

        Assert.Equal(1, await a.DiscardAsync(new JobsDiscard([id]), Ct));

        Assert.Null(await wait.WaitAsync(Bound, Ct));
    }

    [Fact]
    public async Task UniqueUntilCompleted_HolderDiesWhileOtherNodeEnqueues_KeyNeverFree()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema, TimeSpan.FromSeconds(1));
        await using var b = await OpenAsync(cluster, schema, TimeSpan.FromSeconds(1));
        for (var round = 0; round < 20; round++)
        {
            var spec = new JobSpec { Type = "t", Queue = Queue, UniqueKey = $"k{round}", UniqueMode = UniqueMode.UntilCompleted, MaxAttempts = 1 };
            var holder = (await a.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs[0].Id;
            var job = Assert.Single(await a.FetchAsync(new JobFetch([Queue], 1, null), Ct));

            var fail = Task.Run(async () => await a.SettleAsync(new JobSettle([], [new JobFail(job.Key, job.Lease!.Token, "E", "m", [])]), Ct));
            var again = Task.Run(async () => await b.EnqueueAsync(new JobEnqueue([spec]), Ct));
            await Task.WhenAll(fail, again);

            Assert.Equal(SettleStatus.Ok, Assert.Single(await fail).Status);
            Assert.Equal(new EnqueuedJob(holder, false) { UniqueHeld = true }, Assert.Single((await again).Jobs));
            Assert.Equal(JobState.Dead, (await b.GetJobAsync(new JobGet(holder), Ct))?.State);
        }
    }

    [Fact]
    public async Task UniqueUntilStarted_ReleasedAfterOtherNodeTookTheKey_ReleaseSucceedsAndNewerJobKeepsIt()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema, TimeSpan.FromSeconds(1));
        await using var b = await OpenAsync(cluster, schema, TimeSpan.FromSeconds(1));
        var spec = new JobSpec { Type = "t", Queue = Queue, UniqueKey = "k", UniqueMode = UniqueMode.UntilStarted };
        var first = (await a.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs[0].Id;
        var lease = Assert.Single(await a.FetchAsync(new JobFetch([Queue], 1, null), Ct)).Lease!;
        var second = Assert.Single((await b.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs);
        Assert.True(second.Created);

        Assert.Equal(1, await a.ReleaseAsync(new LeasesRelease([new JobLeaseRef(first, lease.Token)]), Ct));

        Assert.Equal(new EnqueuedJob(second.Key, false) { UniqueHeld = true }, Assert.Single((await a.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs));
        Assert.Equal(JobState.Available, (await b.GetJobAsync(new JobGet(first), Ct))?.State);
    }

    /// <summary>Returns once the wait has marked the job watched: from then on only a notification (or the poll) wakes it.</summary>
    private static async Task WatchedAsync(PostgresCluster cluster, string schema, string id)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(Bound);
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(bound.Token);
        await using var command = new NpgsqlCommand($"SELECT watched FROM \"{schema}\".jobs WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        while (await command.ExecuteScalarAsync(bound.Token) is not true)
        {
            await Task.Delay(10, bound.Token);
        }
    }

    private static Task<PostgresJobStore> OpenAsync(PostgresCluster cluster, string schema, TimeSpan poll) =>
        PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = schema, PollInterval = poll },
            new JobStoreSettings { Time = TimeProvider.System },
            cancellationToken: Ct);
}
