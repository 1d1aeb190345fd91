using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Broker.Tests;

public sealed class BrokerValidationTests : IAsyncLifetime
{
    private readonly BrokerHarness h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public async Task Enqueue_PriorityOutOfRange_RejectedNamingPriority(int priority)
    {
        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.EnqueueAsync(BrokerHarness.Spec() with { Priority = priority }, BrokerHarness.Ct).AsTask());

        Assert.Equal("priority", ex.Field);
        Assert.Null(ex.Index);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task EnqueueBatch_BadItem_RejectedWithIndexAndNothingStored()
    {
        var jobs = new[] { BrokerHarness.Spec(), BrokerHarness.Spec(), BrokerHarness.Spec() with { Queue = "" } };

        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.EnqueueBatchAsync(jobs, BrokerHarness.Ct).AsTask());

        Assert.Equal("queue", ex.Field);
        Assert.Equal(2, ex.Index);
        Assert.Contains("jobs[2].queue", ex.Message, StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(JobDefaults.MaxBatch + 1)]
    public async Task EnqueueBatch_SizeOutOfRange_RejectedNamingJobs(int count)
    {
        var jobs = Enumerable.Repeat(BrokerHarness.Spec(), count).ToList();

        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.EnqueueBatchAsync(jobs, BrokerHarness.Ct).AsTask());

        Assert.Equal("jobs", ex.Field);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task EnqueueBatch_MaxSize_Accepted()
    {
        var jobs = Enumerable.Range(0, JobDefaults.MaxBatch).Select(_ => BrokerHarness.Spec()).ToList();

        var result = await h.Broker.EnqueueBatchAsync(jobs, BrokerHarness.Ct);

        Assert.Equal(JobDefaults.MaxBatch, result.Jobs.Count);
    }

    [Fact]
    public async Task Fetch_NoQueues_RejectedNamingQueues()
    {
        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.FetchAsync([], 1, TimeSpan.Zero, null, BrokerHarness.Ct).AsTask());

        Assert.Equal("queues", ex.Field);
    }

    [Fact]
    public async Task Fetch_EmptyQueueName_RejectedNamingQueues()
    {
        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.FetchAsync(["default", ""], 1, TimeSpan.Zero, null, BrokerHarness.Ct).AsTask());

        Assert.Equal("queues", ex.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(JobDefaults.MaxFetch + 1)]
    public async Task Fetch_MaxOutOfRange_RejectedNamingMax(int max)
    {
        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.FetchAsync(["default"], max, TimeSpan.Zero, null, BrokerHarness.Ct).AsTask());

        Assert.Equal("max", ex.Field);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(JobDefaults.MaxFetch)]
    public async Task Fetch_MaxAtBounds_Accepted(int max)
    {
        Assert.Empty(await h.Broker.FetchAsync(["default"], max, TimeSpan.Zero, null, BrokerHarness.Ct));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(30_001)]
    public async Task Fetch_WaitOutOfRange_RejectedNamingWait(int waitMs)
    {
        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.FetchAsync(["default"], 1, TimeSpan.FromMilliseconds(waitMs), null, BrokerHarness.Ct).AsTask());

        Assert.Equal("wait_ms", ex.Field);
    }

    [Fact]
    public async Task Settle_TooManyItems_RejectedNamingAck()
    {
        var acks = Enumerable.Range(0, JobDefaults.MaxBatch + 1).Select(i => new JobAck($"job-{i}", "t")).ToList();

        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.SettleAsync(new JobSettle(acks, []), BrokerHarness.Ct).AsTask());

        Assert.Equal("ack", ex.Field);
    }

    [Fact]
    public async Task Fail_NegativeRetryIn_RejectedNamingRetryIn()
    {
        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.FailAsync(new JobFail("id", "t", "E", "m", [], TimeSpan.FromSeconds(-1)), BrokerHarness.Ct).AsTask());

        Assert.Equal("retry_in_ms", ex.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(JobDefaults.MaxLeaseSeconds + 1)]
    public async Task Heartbeat_ExtendOutOfRange_RejectedNamingExtend(int seconds)
    {
        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.HeartbeatAsync(new JobHeartbeat("id", "t", TimeSpan.FromSeconds(seconds)), BrokerHarness.Ct).AsTask());

        Assert.Equal("extend_seconds", ex.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(JobList.MaxLimit + 1)]
    public async Task ListJobs_LimitOutOfRange_RejectedNamingLimit(int limit)
    {
        var ex = await Assert.ThrowsAsync<RequestRejectedException>(
            () => h.Broker.ListJobsAsync(new JobList(Limit: limit), BrokerHarness.Ct).AsTask());

        Assert.Equal("limit", ex.Field);
    }

    private async Task AssertNothingStoredAsync()
    {
        var page = await h.Broker.ListJobsAsync(new JobList(), BrokerHarness.Ct);
        Assert.Empty(page.Jobs);
    }
}
