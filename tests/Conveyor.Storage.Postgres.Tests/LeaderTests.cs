using System.Diagnostics;
using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// Three store instances on one schema, as three Conveyor nodes: one leads, only it runs maintenance and schedules, a
/// stopped or cut-off leader is replaced with a higher term, and a deposed leader's late maintenance changes nothing.
/// The lease is short (2 s, renewed every 0.4 s) so that takeovers happen within a test.
/// </summary>
public sealed class LeaderTests
{
    private const string Queue = "leader";

    /// <summary>A lost leader is replaced within the lease plus a renew interval (2.4 s); this is that with slack for a loaded machine.</summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Elect_ThreeNodesOnOneSchema_ExactlyOneLeadsAndTheFirstLeadsAtOnce()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema);
        Assert.True(a.Cluster.Leader);
        Assert.Equal(1, a.Cluster.Term);
        await using var b = await OpenAsync(cluster, schema);
        await using var c = await OpenAsync(cluster, schema);
        PostgresJobStore[] nodes = [a, b, c];

        // Over several renewals the same node leads, alone, in the same term, and every node names that term.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(2))
        {
            var views = nodes.Select(n => n.Cluster).ToList();
            Assert.Single(views, v => v.Leader);
            Assert.True(views[0].Leader);
            await Task.Delay(50, Ct);
        }

        Assert.All(nodes, n => Assert.Equal(1, n.Cluster.Term));
        Assert.Equal(3, nodes.Select(n => n.Cluster.Node).Distinct().Count());
        var stats = await b.GetStatsAsync(Ct);
        Assert.Equal(new StoreCluster(b.Cluster.Node, false, 1), stats.Cluster);
    }

    [Fact]
    public async Task Takeover_LeaderStops_AnotherLeadsWithTheNextTerm()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        var a = await OpenAsync(cluster, schema);
        await using var b = await OpenAsync(cluster, schema);
        await using var c = await OpenAsync(cluster, schema);
        Assert.True(a.Cluster.Leader);

        await a.DisposeAsync();
        var (leader, elapsed) = await WaitForLeaderAsync([b, c]);

        Assert.Equal(2, leader.Cluster.Term);
        Assert.True(elapsed < TakeoverBound, $"takeover took {elapsed}");
        Assert.Single(new[] { b, c }, n => n.Cluster.Leader);
    }

    [Fact]
    public async Task Takeover_LeaderRenewalsBlocked_ItStopsLeadingBeforeAnotherNodeStarts()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema);
        await using var b = await OpenAsync(cluster, schema);
        await using var c = await OpenAsync(cluster, schema);
        PostgresJobStore[] nodes = [a, b, c];
        Assert.True(a.Cluster.Leader);

        a.Leader.Paused = true;
        var watch = Stopwatch.StartNew();
        PostgresJobStore? successor = null;
        var aStoppedFirst = false;
        while (successor is null && watch.Elapsed < TakeoverBound)
        {
            // Never two leaders at once: the cut-off node's trust window ends before its row expires.
            Assert.True(nodes.Count(n => n.Cluster.Leader) <= 1);
            aStoppedFirst |= !a.Cluster.Leader;
            successor = nodes.Skip(1).FirstOrDefault(n => n.Cluster.Leader);
            await Task.Delay(20, Ct);
        }

        Assert.NotNull(successor);
        Assert.True(aStoppedFirst);
        Assert.False(a.Cluster.Leader);
        Assert.Equal(2, successor.Cluster.Term);

        // Back in touch, the old node follows the new term rather than taking the row back.
        a.Leader.Paused = false;
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.False(a.Cluster.Leader);
        Assert.True(successor.Cluster.Leader);
        Assert.Equal(2, a.Cluster.Term);
    }

    [Fact]
    public async Task Fence_DeposedLeaderLateMaintenance_ChangesNothing()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        var time = new FakeTimeProvider();
        await using var a = await OpenAsync(cluster, schema, time);
        await using var b = await OpenAsync(cluster, schema, time);
        await a.EnqueueAsync(new JobEnqueue([new JobSpec { Type = "t", Queue = Queue, LeaseSeconds = 60 }]), Ct);
        Assert.Single(await a.FetchAsync(new JobFetch([Queue], 1, null), Ct));
        await a.EnqueueAsync(new JobEnqueue([new JobSpec { Type = "t", Queue = Queue, RunAt = time.GetUtcNow().AddSeconds(30) }]), Ct);
        await a.CronSaveAsync(new CronSave(new CronSchedule { Name = "minutely", Expression = "* * * * *", Job = new JobSpec { Type = "c", Queue = "cron" } }), Ct);
        time.Advance(TimeSpan.FromMinutes(2));
        var stale = a.Leader.Current ?? throw new InvalidOperationException("the first node should lead");

        a.Leader.Paused = true;
        await WaitForLeaderAsync([b]);

        // The deposed node's maintenance, as if its statements arrived late under its old term: every one is fenced.
        Assert.Equal(0, await MaintenanceCommands.ExpireLeasesAsync(a.Context, stale, 100, Ct));
        Assert.Equal(0, await MaintenanceCommands.PromoteAsync(a.Context, stale, 100, Ct));
        Assert.Equal(0, await CronCommands.FireDueAsync(a.Context, stale, 100, Ct));
        var before = await b.GetStatsAsync(Ct);
        Assert.Equal(1, before.Counts[JobState.Active]);
        Assert.Equal(1, before.Counts[JobState.Scheduled]);
        Assert.Equal(0, before.Failed);
        Assert.Empty((await b.ListJobsAsync(new JobList(Queue: "cron"), Ct)).Jobs);

        // Through the store it does nothing either; the new leader does the work.
        Assert.Equal(0, await a.ExpireLeasesAsync(new LeasesExpire(100), Ct));
        Assert.Equal(1, await b.PromoteAsync(new JobsPromote(100), Ct));
        Assert.Equal(1, await b.ExpireLeasesAsync(new LeasesExpire(100), Ct));
        Assert.Equal(1, await b.CronFireDueAsync(new CronFireDue(100), Ct));
        var after = await b.GetStatsAsync(Ct);
        Assert.Equal(0, after.Counts[JobState.Active]);
        Assert.Equal(1, after.Failed);
        Assert.Single((await b.ListJobsAsync(new JobList(Queue: "cron"), Ct)).Jobs);
    }

    [Fact]
    public async Task CronFireDue_ThreeNodesEveryTickAndAFailover_EachTickFiresOnce()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        var time = new FakeTimeProvider();
        var a = await OpenAsync(cluster, schema, time);
        await using var b = await OpenAsync(cluster, schema, time);
        await using var c = await OpenAsync(cluster, schema, time);
        await a.CronSaveAsync(new CronSave(new CronSchedule { Name = "minutely", Expression = "* * * * *", Job = new JobSpec { Type = "t", Queue = Queue } }), Ct);
        List<PostgresJobStore> nodes = [a, b, c];

        for (var tick = 1; tick <= 4; tick++)
        {
            if (tick == 3)
            {
                await a.DisposeAsync();
                nodes.Remove(a);
                await WaitForLeaderAsync([.. nodes]);
            }

            time.Advance(TimeSpan.FromMinutes(1));
            var fired = await Task.WhenAll(nodes.Select(n => Task.Run(async () => (Node: n, Fired: await n.CronFireDueAsync(new CronFireDue(10), Ct)))));

            var fire = Assert.Single(fired, f => f.Fired > 0);
            Assert.Equal(1, fire.Fired);
            Assert.True(fire.Node.Cluster.Leader);
            Assert.Equal(tick, (await b.ListJobsAsync(new JobList(Queue: Queue), Ct)).Jobs.Count);
        }
    }

    private static async Task<(PostgresJobStore Leader, TimeSpan Elapsed)> WaitForLeaderAsync(PostgresJobStore[] candidates)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TakeoverBound)
        {
            if (candidates.FirstOrDefault(n => n.Cluster.Leader) is { } leader)
            {
                return (leader, watch.Elapsed);
            }

            await Task.Delay(20, Ct);
        }

        throw new TimeoutException($"no node took over within {TakeoverBound}");
    }

    private static Task<PostgresJobStore> OpenAsync(PostgresCluster cluster, string schema, TimeProvider? time = null) =>
        PostgresJobStore.OpenAsync(
            new PostgresStoreOptions
            {
                ConnectionString = cluster.ConnectionString, Schema = schema, PollInterval = TimeSpan.FromMilliseconds(200),
                LeaderLease = TimeSpan.FromSeconds(2), LeaderRenewInterval = TimeSpan.FromMilliseconds(400),
            },
            new JobStoreSettings { Time = time ?? TimeProvider.System },
            cancellationToken: Ct);
}
