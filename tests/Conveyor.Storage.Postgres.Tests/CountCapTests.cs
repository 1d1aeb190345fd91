using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// Counts of unfinished jobs stop at the store's cap instead of scanning a backlog (docs/postgres.md, "Counts without
/// scanning"): exact below it, the cap itself beyond, and the store says where the cap is.
/// </summary>
public sealed class CountCapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QueuesAndStats_BacklogPastTheCap_CountsStopAtTheCapAndSaySo()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 8, 4, 0, 0, TimeSpan.Zero));
        await using var store = await OpenAsync(time);
        var cap = ReadCommands.CountCap;
        for (var done = 0; done < cap + 5; done += 1_000)
        {
            await EnqueueAsync(store, Enumerable.Range(0, Math.Min(1_000, cap + 5 - done)).Select(_ => new JobSpec { Type = "t", Queue = "big" }));
        }

        await EnqueueAsync(store, [new JobSpec { Type = "t", Queue = "small", Priority = JobDefaults.MinPriority }]);
        var oldest = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(1));
        await EnqueueAsync(store, [
            new JobSpec { Type = "t", Queue = "small", Priority = JobDefaults.MaxPriority },
            new JobSpec { Type = "t", Queue = "small", Priority = JobDefaults.MaxPriority },
            new JobSpec { Type = "t", Queue = "small", RunAt = time.GetUtcNow().AddHours(1) },
        ]);
        Assert.Single(await store.FetchAsync(new JobFetch(["small"], 1, null), Ct));

        var queues = (await store.ListQueuesAsync(Ct)).ToDictionary(q => q.Name);
        Assert.Equal(new QueueInfo("big", cap, 0, 0, 0, false) { CountCap = cap, OldestAvailableAt = queues["big"].OldestAvailableAt }, queues["big"]);
        Assert.Equal(new QueueInfo("small", 2, 1, 0, 1, false) { CountCap = cap, OldestAvailableAt = oldest }, queues["small"]);

        var stats = await store.GetStatsAsync(Ct);
        Assert.Equal(cap, stats.CountCap);
        Assert.Equal(cap, stats.Counts[JobState.Available]);
        Assert.Equal(1, stats.Counts[JobState.Active]);
        Assert.Equal(1, stats.Counts[JobState.Scheduled]);
    }

    private static async Task EnqueueAsync(PostgresJobStore store, IEnumerable<JobSpec> specs) =>
        Assert.All((await store.EnqueueAsync(new JobEnqueue([.. specs]), Ct)).Jobs, job => Assert.True(job.Created));

    private static async Task<PostgresJobStore> OpenAsync(TimeProvider time)
    {
        var cluster = await PostgresCluster.SharedAsync();
        return await PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = PostgresStoreHarness.NewSchema() },
            new JobStoreSettings { Time = time },
            cancellationToken: Ct);
    }
}
