using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// A finished job brought back (retry, requeue) takes its unique key again when its mode holds it while available and
/// nobody holds it now, as the embedded store's holder registry does; several with one key never collide.
/// </summary>
public sealed class UniqueReviveTests
{
    private const string Queue = "revive";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JobSpec Spec(UniqueMode mode) => new() { Type = "t", Queue = Queue, UniqueKey = "k", UniqueMode = mode, MaxAttempts = 1 };

    [Fact]
    public async Task Retry_DeadUntilFinishedJob_HoldsItsKeyAgain()
    {
        await using var store = await OpenAsync();
        var dead = await EnqueueAndKillAsync(store, Spec(UniqueMode.UntilFinished));

        Assert.Equal(CommandStatus.Ok, (await store.RetryAsync(new JobRetry(dead), Ct)).Status);

        Assert.Equal(new EnqueuedJob(dead, false) { UniqueHeld = true }, await EnqueueAsync(store, Spec(UniqueMode.UntilFinished)));
    }

    [Fact]
    public async Task Requeue_TwoDeadJobsWithOneKey_FirstNamedHoldsItAndNothingFails()
    {
        await using var store = await OpenAsync();
        var first = await EnqueueAndKillAsync(store, Spec(UniqueMode.UntilFinished));
        var second = await EnqueueAndKillAsync(store, Spec(UniqueMode.UntilFinished));
        Assert.NotEqual(first, second);

        Assert.Equal(2, await store.RequeueAsync(new JobsRequeue([second, first]), Ct));

        Assert.Equal(new EnqueuedJob(second, false) { UniqueHeld = true }, await EnqueueAsync(store, Spec(UniqueMode.UntilFinished)));
        Assert.Equal(JobState.Available, (await store.GetJobAsync(new JobGet(first), Ct))?.State);
    }

    [Fact]
    public async Task Retry_DeadUntilStartedJob_KeyStaysFree()
    {
        await using var store = await OpenAsync();
        var dead = await EnqueueAndKillAsync(store, Spec(UniqueMode.UntilStarted));

        Assert.Equal(CommandStatus.Ok, (await store.RetryAsync(new JobRetry(dead), Ct)).Status);

        var again = await EnqueueAsync(store, Spec(UniqueMode.UntilStarted));
        Assert.True(again.Created);
        Assert.False(again.UniqueHeld);
    }

    /// <summary>Enqueues, leases and fails the job's only attempt: dead.</summary>
    private static async Task<string> EnqueueAndKillAsync(PostgresJobStore store, JobSpec spec)
    {
        var id = (await EnqueueAsync(store, spec)).Id;
        var job = Assert.Single(await store.FetchAsync(new JobFetch([Queue], 1, null), Ct));
        Assert.Equal(id, job.Id);
        var failed = await store.SettleAsync(new JobSettle([], [new JobFail(job.Key, job.Lease!.Token, "E", "m", [])]), Ct);
        Assert.Equal(SettleStatus.Ok, Assert.Single(failed).Status);
        Assert.Equal(JobState.Dead, (await store.GetJobAsync(new JobGet(id), Ct))?.State);
        return id;
    }

    private static async Task<EnqueuedJob> EnqueueAsync(PostgresJobStore store, JobSpec spec) =>
        Assert.Single((await store.EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs);

    private static async Task<PostgresJobStore> OpenAsync()
    {
        var cluster = await PostgresCluster.SharedAsync();
        return await PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = PostgresStoreHarness.NewSchema() },
            new JobStoreSettings { Time = TimeProvider.System },
            cancellationToken: Ct);
    }
}
