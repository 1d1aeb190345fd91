using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Xunit;

namespace Conveyor.Core.Tests;

public sealed class FailureDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(25, 25)]
    [InlineData(26, 25)]
    public void For_AttemptsExhausted_Dead(int attempt, int maxAttempts)
    {
        var decision = FailureDecision.For(attempt, maxAttempts, Backoff.Exponential, Now, retryIn: null, new Random(1));

        Assert.Equal(new FailureDecision(JobState.Dead, null), decision);
    }

    [Fact]
    public void For_AttemptsExhaustedWithRetryIn_StillDead()
    {
        var decision = FailureDecision.For(3, 3, Backoff.Exponential, Now, TimeSpan.FromSeconds(1), new Random(1));

        Assert.Equal(JobState.Dead, decision.Next);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    public void For_AttemptsLeft_RetryingWithinBackoffOfFailureIndex(int attempt)
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var decision = FailureDecision.For(attempt, 25, Backoff.Exponential, Now, retryIn: null, new Random(seed));

            Assert.Equal(JobState.Retrying, decision.Next);
            Assert.NotNull(decision.RunAt);
            var n = attempt - 1;
            Assert.InRange(decision.RunAt.Value - Now, Backoff.Exponential.DelayAfter(n, 0), Backoff.Exponential.DelayAfter(n, 29));
        }
    }

    [Fact]
    public void For_SeededRandom_UsesJitterDrawnFromIt()
    {
        var jitter = new Random(42).Next(FailureDecision.JitterRange);

        var decision = FailureDecision.For(3, 25, Backoff.Exponential, Now, retryIn: null, new Random(42));

        Assert.Equal(Now + Backoff.Exponential.DelayAfter(2, jitter), decision.RunAt);
    }

    [Fact]
    public void For_ManySeeds_JitterSpansWholeRange()
    {
        var delays = Enumerable.Range(0, 2000)
            .Select(seed => FailureDecision.For(1, 25, Backoff.Exponential, Now, null, new Random(seed)).RunAt!.Value - Now)
            .ToHashSet();

        Assert.Equal(FailureDecision.JitterRange, delays.Count);
    }

    [Fact]
    public void For_RetryIn_ReplacesBackoff()
    {
        var decision = FailureDecision.For(1, 25, Backoff.Fixed(600), Now, TimeSpan.FromSeconds(3), new Random(1));

        Assert.Equal(new FailureDecision(JobState.Retrying, Now.AddSeconds(3)), decision);
    }

    [Fact]
    public void For_FixedBackoff_FixedDelay()
    {
        var decision = FailureDecision.For(7, 25, Backoff.Fixed(600), Now, retryIn: null, new Random(1));

        Assert.Equal(Now.AddSeconds(600), decision.RunAt);
    }
}
