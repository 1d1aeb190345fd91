using Xunit;

namespace Conveyor.Broker.Tests;

public sealed class BrokerLongPollTests : IAsyncLifetime
{
    /// <summary>Real time, only so that a broken long-poll fails the test instead of hanging it.</summary>
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    private readonly BrokerHarness h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => h.DisposeAsync();

    [Fact]
    public async Task Fetch_NothingAvailableThenEnqueue_CompletesWithTheJob()
    {
        var timer = h.Clock.NextTimerAsync();
        var fetch = h.Broker.FetchAsync(["mail"], 1, TimeSpan.FromSeconds(10), "worker", BrokerHarness.Ct).AsTask();
        await timer.WaitAsync(SafetyTimeout, BrokerHarness.Ct);
        Assert.False(fetch.IsCompleted);

        var id = await h.EnqueueAsync(BrokerHarness.Spec("mail"));

        var jobs = await fetch.WaitAsync(SafetyTimeout, BrokerHarness.Ct);
        Assert.Equal(id, Assert.Single(jobs).Id);
    }

    [Fact]
    public async Task Fetch_EnqueueToOtherQueue_KeepsWaiting()
    {
        var timer = h.Clock.NextTimerAsync();
        var fetch = h.Broker.FetchAsync(["mail"], 1, TimeSpan.FromSeconds(10), "worker", BrokerHarness.Ct).AsTask();
        await timer.WaitAsync(SafetyTimeout, BrokerHarness.Ct);

        await h.EnqueueAsync(BrokerHarness.Spec("reports"));
        var mail = await h.EnqueueAsync(BrokerHarness.Spec("mail"));

        var jobs = await fetch.WaitAsync(SafetyTimeout, BrokerHarness.Ct);
        Assert.Equal(mail, Assert.Single(jobs).Id);
    }

    [Fact]
    public async Task Fetch_NothingComes_ReturnsEmptyOnceWaitPassed()
    {
        var timer = h.Clock.NextTimerAsync();
        var fetch = h.Broker.FetchAsync(["mail"], 1, TimeSpan.FromSeconds(10), "worker", BrokerHarness.Ct).AsTask();
        await timer.WaitAsync(SafetyTimeout, BrokerHarness.Ct);

        h.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(fetch.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(1));

        var jobs = await fetch.WaitAsync(SafetyTimeout, BrokerHarness.Ct);
        Assert.Empty(jobs);
    }

    [Fact]
    public async Task Fetch_JobAlreadyAvailable_ReturnsWithoutWaiting()
    {
        var id = await h.EnqueueAsync(BrokerHarness.Spec("mail"));

        var jobs = await h.Broker.FetchAsync(["mail"], 5, TimeSpan.FromSeconds(10), "worker", BrokerHarness.Ct)
            .AsTask().WaitAsync(SafetyTimeout, BrokerHarness.Ct);

        Assert.Equal(id, Assert.Single(jobs).Id);
    }

    [Fact]
    public async Task Fetch_BrokerDisposedWhileWaiting_ReturnsEmpty()
    {
        var timer = h.Clock.NextTimerAsync();
        var fetch = h.Broker.FetchAsync(["mail"], 1, TimeSpan.FromSeconds(10), "worker", BrokerHarness.Ct).AsTask();
        await timer.WaitAsync(SafetyTimeout, BrokerHarness.Ct);

        await h.Broker.DisposeAsync();

        Assert.Empty(await fetch.WaitAsync(SafetyTimeout, BrokerHarness.Ct));
    }
}
