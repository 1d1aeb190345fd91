using System.Collections.Concurrent;
using Conveyor.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// <see cref="NotifyLimiter"/> on a fake clock: per queue, one NOTIFY in the transaction that opens an interval, one
/// trailing NOTIFY at its end for everything the limit held back, never none after the last enqueue.
/// </summary>
public sealed class NotifyLimiterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task Burst_OneNotifyInTheFirstTransactionAndOneTrailingForTheRest()
    {
        var clock = new FakeTimeProvider();
        var sent = new Sent();
        await using var limiter = new NotifyLimiter(sent.SendAsync, clock, Interval, NullLogger.Instance);

        var inTransaction = 0;
        for (var i = 0; i < 100; i++)
        {
            var taken = limiter.Take(["q"]);
            inTransaction += taken.Count;
            if (taken.Count == 0)
            {
                limiter.Trail(["q"]);
            }
        }

        Assert.Equal(1, inTransaction);
        clock.Advance(Interval - TimeSpan.FromTicks(1));
        Assert.Empty(sent.Calls);

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(["q"], await sent.NextAsync());

        // The trailing NOTIFY opened a new interval: the next enqueue is held back too, and is sent at its end.
        Assert.Empty(limiter.Take(["q"]));
        limiter.Trail(["q"]);
        clock.Advance(Interval);
        Assert.Equal(["q"], await sent.NextAsync());
        Assert.Equal(2, sent.Calls.Count);
    }

    [Fact]
    public async Task Queues_LimitedEachOnItsOwn()
    {
        var clock = new FakeTimeProvider();
        var sent = new Sent();
        await using var limiter = new NotifyLimiter(sent.SendAsync, clock, Interval, NullLogger.Instance);

        Assert.Equal(["a", "b"], limiter.Take(["a", "b"]));
        Assert.Empty(limiter.Take(["a"]));
        Assert.Equal(["c"], limiter.Take(["a", "c"]));
        limiter.Trail(["a"]);
        clock.Advance(Interval);

        Assert.Equal(["a"], await sent.NextAsync());
        Assert.Equal(["b"], limiter.Take(["b"]));
    }

    [Fact]
    public async Task Trail_IntervalAlreadyOver_SentWithoutWaitingAnother()
    {
        var clock = new FakeTimeProvider();
        var sent = new Sent();
        await using var limiter = new NotifyLimiter(sent.SendAsync, clock, Interval, NullLogger.Instance);
        Assert.Single(limiter.Take(["q"]));
        Assert.Empty(limiter.Take(["q"]));

        // The held-back transaction committed late, after its interval ended.
        clock.Advance(Interval * 3);
        limiter.Trail(["q"]);
        clock.Advance(TimeSpan.Zero);

        Assert.Equal(["q"], await sent.NextAsync());
    }

    [Fact]
    public async Task Dispose_SendsTheTrailingNotifiesStillWaiting()
    {
        var clock = new FakeTimeProvider();
        var sent = new Sent();
        var limiter = new NotifyLimiter(sent.SendAsync, clock, Interval, NullLogger.Instance);
        Assert.Single(limiter.Take(["q"]));
        Assert.Empty(limiter.Take(["q"]));
        limiter.Trail(["q"]);

        await limiter.DisposeAsync();

        Assert.Equal(["q"], Assert.Single(sent.Calls));
    }

    [Fact]
    public async Task ZeroInterval_EveryTransactionNotifies()
    {
        var sent = new Sent();
        await using var limiter = new NotifyLimiter(sent.SendAsync, new FakeTimeProvider(), TimeSpan.Zero, NullLogger.Instance);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(["q"], limiter.Take(["q"]));
        }
    }

    [Fact]
    public async Task Send_Fails_LaterTrailingNotifiesStillSent()
    {
        var clock = new FakeTimeProvider();
        var sent = new Sent { FailNext = true };
        await using var limiter = new NotifyLimiter(sent.SendAsync, clock, Interval, NullLogger.Instance);
        Assert.Single(limiter.Take(["q"]));
        limiter.Trail(["q"]);
        clock.Advance(Interval);
        Assert.Equal(["q"], await sent.NextAsync());

        limiter.Trail(["q"]);
        clock.Advance(Interval);

        Assert.Equal(["q"], await sent.NextAsync());
    }

    /// <summary>Records each send; a test awaits the next one (sends run off the caller's thread).</summary>
    private sealed class Sent
    {
        private readonly SemaphoreSlim arrived = new(0);
        private int taken;

        public ConcurrentQueue<string[]> Calls { get; } = new();

        public bool FailNext { get; set; }

        public Task SendAsync(IReadOnlyCollection<string> queues)
        {
            Calls.Enqueue([.. queues.Order(StringComparer.Ordinal)]);
            arrived.Release();
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("the database cannot be reached");
            }

            return Task.CompletedTask;
        }

        /// <summary>The next send not yet returned (bounded, so a missing send fails instead of hanging).</summary>
        public async Task<string[]> NextAsync()
        {
            Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "no NOTIFY was sent");
            return Calls.ElementAt(taken++);
        }
    }
}
