using System.Text;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// Small enqueues arriving together are written in one transaction: each request still gets exactly its own jobs back,
/// in its order, and requests that name ids or unique keys keep their own answers.
/// </summary>
public sealed class EnqueueCoalescerTests
{
    private const string Queue = "coalesce";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_ManyConcurrentSmallRequests_EachGetsItsOwnJobsInOrder()
    {
        await using var store = await OpenAsync();
        var requests = Enumerable.Range(0, 96)
            .Select(r => new JobEnqueue([.. Enumerable.Range(0, 1 + (r % 3)).Select(j => new JobSpec { Type = "t", Queue = Queue, Args = Encoding.UTF8.GetBytes($"[{r},{j}]") })]))
            .ToArray();

        var results = await Task.WhenAll(requests.Select(r => store.EnqueueAsync(r, Ct).AsTask()));

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < requests.Length; r++)
        {
            Assert.Equal(EnqueueStatus.Ok, results[r].Status);
            Assert.Equal(requests[r].Jobs.Count, results[r].Jobs.Count);
            for (var j = 0; j < requests[r].Jobs.Count; j++)
            {
                Assert.True(results[r].Jobs[j].Created);
                Assert.True(keys.Add(results[r].Jobs[j].Key.ToString()));
                var stored = await store.GetJobAsync(new JobGet(results[r].Jobs[j].Key.ToString()), Ct);
                Assert.Equal(requests[r].Jobs[j].Args.ToArray(), stored?.Args.ToArray());
            }
        }
    }

    [Fact]
    public async Task Enqueue_OwnIdsAmongConcurrentSmallRequests_SameIdGivesOneJob()
    {
        await using var store = await OpenAsync();
        var plain = Enumerable.Range(0, 32).Select(_ => new JobEnqueue([new JobSpec { Type = "t", Queue = Queue }]));
        var named = Enumerable.Range(0, 8).Select(_ => new JobEnqueue([new JobSpec { Id = "order-1", Type = "t", Queue = Queue }]));

        var results = await Task.WhenAll(plain.Concat(named).Select(r => store.EnqueueAsync(r, Ct).AsTask()));

        Assert.All(results, r => Assert.Equal(EnqueueStatus.Ok, r.Status));
        Assert.Single(results.Skip(32), r => r.Jobs[0].Created);
        Assert.All(results.Skip(32), r => Assert.Equal("order-1", r.Jobs[0].Key.ToString()));
        Assert.Equal(32, results.Take(32).Select(r => r.Jobs[0].Key.ToString()).Distinct(StringComparer.Ordinal).Count());
    }

    private static async Task<PostgresJobStore> OpenAsync()
    {
        var cluster = await PostgresCluster.SharedAsync();
        return await PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = PostgresStoreHarness.NewSchema() },
            new JobStoreSettings { Time = TimeProvider.System },
            cancellationToken: Ct);
    }
}
