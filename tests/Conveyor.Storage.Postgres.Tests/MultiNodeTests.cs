using System.Collections.Concurrent;
using Conveyor.Core.Cron;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>Two store instances on one schema, as two Conveyor nodes on one database.</summary>
public sealed class MultiNodeTests
{
    private const string Queue = "shared";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fetch_TwoNodesDrainingOneQueue_EveryJobLeasedAndCompletedExactlyOnce()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema);
        await using var b = await OpenAsync(cluster, schema);
        const int jobs = 2000;
        var enqueued = new HashSet<string>();
        for (var i = 0; i < jobs; i += 500)
        {
            var batch = Enumerable.Range(i, 500).Select(n => new JobSpec { Type = "t", Queue = Queue, Priority = 1 + (n % 9) }).ToList();
            enqueued.UnionWith((await a.EnqueueAsync(new JobEnqueue(batch), Ct)).Jobs.Select(j => j.Id));
        }

        var ledger = new ConcurrentDictionary<string, int>();
        var acked = 0;
        async Task DrainAsync(PostgresJobStore store, int seed)
        {
            var random = new Random(seed);
            while (true)
            {
                var leased = await store.FetchAsync(new JobFetch([Queue], random.Next(1, 20), $"worker-{seed}"), Ct);
                if (leased.Count == 0)
                {
                    return;
                }

                foreach (var job in leased)
                {
                    ledger.AddOrUpdate(job.Id, 1, (_, n) => n + 1);
                }

                var results = await store.SettleAsync(new JobSettle([.. leased.Select(j => new JobAck(j.Key, j.Lease!.Token))], []), Ct);
                Assert.All(results, r => Assert.Equal(SettleStatus.Ok, r.Status));
                Interlocked.Add(ref acked, results.Count);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(() => DrainAsync(n % 2 == 0 ? a : b, n))));

        Assert.Equal(enqueued.Order(), ledger.Keys.Order());
        Assert.All(ledger, entry => Assert.Equal(1, entry.Value));
        Assert.Equal(jobs, acked);
        var stats = await b.GetStatsAsync(Ct);
        Assert.Equal(jobs, stats.Counts[JobState.Completed]);
        Assert.Equal(jobs, stats.Processed);
    }

    [Fact]
    public async Task Settle_SameLeaseOnBothNodesAtOnce_OneSettles()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema);
        await using var b = await OpenAsync(cluster, schema);
        var ids = (await a.EnqueueAsync(new JobEnqueue([.. Enumerable.Range(0, 50).Select(_ => new JobSpec { Type = "t", Queue = Queue })]), Ct)).Jobs;
        var leased = await a.FetchAsync(new JobFetch([Queue], 50, null), Ct);
        Assert.Equal(50, leased.Count);

        var acks = new JobSettle([.. leased.Select(j => new JobAck(j.Key, j.Lease!.Token))], []);
        var results = await Task.WhenAll(Task.Run(async () => await a.SettleAsync(acks, Ct)), Task.Run(async () => await b.SettleAsync(acks, Ct)));

        for (var i = 0; i < leased.Count; i++)
        {
            Assert.Equal(1, results.Count(r => r[i].Status == SettleStatus.Ok));
        }

        Assert.Equal(50, (await a.GetStatsAsync(Ct)).Processed);
        Assert.Equal(ids.Count, (await b.GetStatsAsync(Ct)).Counts[JobState.Completed]);
    }

    [Fact]
    public async Task WaitingFetch_JobEnqueuedOnAnotherNode_WokenByNotify()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        // The waiting node never polls: only the other node's NOTIFY can wake it.
        await using var waiting = await OpenAsync(cluster, schema, poll: TimeSpan.FromHours(1));
        await using var other = await OpenAsync(cluster, schema);
        await waiting.QueuePauseAsync(new QueuePause(Queue), Ct);
        await waiting.QueueResumeAsync(new QueueResume(Queue), Ct);

        var fetch = waiting.FetchAsync(new JobFetch([Queue], 1, "w", TimeSpan.FromSeconds(30)), Ct).AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.False(fetch.IsCompleted);
        var id = (await other.EnqueueAsync(new JobEnqueue([new JobSpec { Type = "t", Queue = Queue }]), Ct)).Jobs[0].Id;

        var job = Assert.Single(await fetch.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(id, job.Id);
    }

    [Fact]
    public async Task WaitingFetch_DatabaseRestarted_ListenerReconnectsAndIsWokenAgain()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var waiting = await OpenAsync(cluster, schema, poll: TimeSpan.FromHours(1));
        await using var other = await OpenAsync(cluster, schema);

        await cluster.RestartAsync();
        var fetch = waiting.FetchAsync(new JobFetch([Queue], 1, "w", TimeSpan.FromSeconds(60)), Ct).AsTask();
        string id = "";
        for (var tries = 0; tries < 100 && id.Length == 0; tries++)
        {
            try
            {
                id = (await other.EnqueueAsync(new JobEnqueue([new JobSpec { Type = "t", Queue = Queue }]), Ct)).Jobs[0].Id;
            }
            catch (StorageUnavailableException)
            {
                // The pool's connections died with the server; the next try opens new ones.
                await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
            }
        }

        var job = Assert.Single(await fetch.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(id, job.Id);
    }

    [Fact]
    public async Task Enqueue_SameUniqueKeyOnBothNodesAtOnce_OneJob()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema);
        await using var b = await OpenAsync(cluster, schema);
        var spec = new JobSpec { Type = "t", Queue = Queue, UniqueKey = "report:42", UniqueForSeconds = 3600 };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
            (await (n % 2 == 0 ? a : b).EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs.Single())));

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single(results, r => r.Created);
        Assert.Single((await a.ListJobsAsync(new JobList(), Ct)).Jobs);
    }

    [Fact]
    public async Task Enqueue_SameClientIdOnBothNodesAtOnce_OneJob()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var a = await OpenAsync(cluster, schema);
        await using var b = await OpenAsync(cluster, schema);
        var spec = new JobSpec { Id = "order-7", Type = "t", Queue = Queue };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
            (await (n % 2 == 0 ? a : b).EnqueueAsync(new JobEnqueue([spec]), Ct)).Jobs.Single())));

        Assert.All(results, r => Assert.Equal("order-7", r.Id));
        Assert.Single(results, r => r.Created);
        Assert.Single((await b.ListJobsAsync(new JobList(), Ct)).Jobs);
    }

    [Fact]
    public async Task ExpireLeases_BothNodesAtOnce_EachLeaseExpiredOnce()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        var time = new FakeTimeProvider();
        await using var a = await OpenAsync(cluster, schema, time: time);
        await using var b = await OpenAsync(cluster, schema, time: time);
        await a.EnqueueAsync(new JobEnqueue([.. Enumerable.Range(0, 200).Select(_ => new JobSpec { Type = "t", Queue = Queue, LeaseSeconds = 60 })]), Ct);
        Assert.Equal(200, (await a.FetchAsync(new JobFetch([Queue], 200, null), Ct)).Count);
        time.Advance(TimeSpan.FromSeconds(61));

        var expired = await Task.WhenAll(
            Task.Run(async () => await a.ExpireLeasesAsync(new LeasesExpire(50), Ct) + await a.ExpireLeasesAsync(new LeasesExpire(500), Ct)),
            Task.Run(async () => await b.ExpireLeasesAsync(new LeasesExpire(50), Ct) + await b.ExpireLeasesAsync(new LeasesExpire(500), Ct)));

        Assert.Equal(200, expired.Sum());
        var stats = await b.GetStatsAsync(Ct);
        Assert.Equal(200, stats.Counts[JobState.Retrying]);
        Assert.Equal(200, stats.Failed);
        Assert.All((await a.ListJobsAsync(new JobList(Limit: 1000), Ct)).Jobs, job => Assert.Single(job.Failures));
    }

    [Fact]
    public async Task CronFireDue_BothNodesAtOnce_OneJobPerTick()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        var time = new FakeTimeProvider();
        await using var a = await OpenAsync(cluster, schema, time: time);
        await using var b = await OpenAsync(cluster, schema, time: time);
        await a.CronSaveAsync(new CronSave(new CronSchedule { Name = "minutely", Expression = "* * * * *", Job = new JobSpec { Type = "t", Queue = Queue } }), Ct);

        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            var fired = await Task.WhenAll(
                Task.Run(async () => await a.CronFireDueAsync(new CronFireDue(10), Ct)),
                Task.Run(async () => await b.CronFireDueAsync(new CronFireDue(10), Ct)));

            Assert.Equal(1, fired.Sum());
            Assert.Equal(tick, (await a.ListJobsAsync(new JobList(Queue: Queue), Ct)).Jobs.Count);
        }
    }

    private static Task<PostgresJobStore> OpenAsync(PostgresCluster cluster, string schema, TimeSpan? poll = null, TimeProvider? time = null) =>
        PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = schema, PollInterval = poll ?? TimeSpan.FromMilliseconds(200) },
            new JobStoreSettings { Time = time ?? TimeProvider.System },
            cancellationToken: Ct);
}
