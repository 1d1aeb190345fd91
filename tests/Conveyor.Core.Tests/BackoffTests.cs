using Conveyor.Core.Retry;
using Xunit;

namespace Conveyor.Core.Tests;

public sealed class BackoffTests
{
    public static TheoryData<int> FailureIndexes() => new(Enumerable.Range(0, 25));

    [Theory]
    [MemberData(nameof(FailureIndexes))]
    public void DelayAfter_Exponential_NToTheFourPlus15PlusJitterTimesNPlus1(int n)
    {
        long n4 = (long)n * n * n * n;

        Assert.Equal(TimeSpan.FromSeconds(n4 + 15), Backoff.Exponential.DelayAfter(n, 0));
        Assert.Equal(TimeSpan.FromSeconds(n4 + 15 + (29 * (n + 1))), Backoff.Exponential.DelayAfter(n, 29));
    }

    [Theory]
    [InlineData(0, 0, 15)]
    [InlineData(0, 29, 44)]
    [InlineData(1, 0, 16)]
    [InlineData(1, 29, 74)]
    [InlineData(4, 10, 321)]
    [InlineData(24, 29, 332_516)]
    public void DelayAfter_KnownValues_Seconds(int n, int jitter, long seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Exponential.DelayAfter(n, jitter));
    }

    [Fact]
    public void DelayAfter_NegativeIndex_TreatedAsFirst()
    {
        Assert.Equal(Backoff.Exponential.DelayAfter(0, 5), Backoff.Exponential.DelayAfter(-3, 5));
    }

    [Fact]
    public void DelayAfter_TwentyFiveFailures_AboutTwentyDays()
    {
        var total = Enumerable.Range(0, 25).Aggregate(TimeSpan.Zero, (sum, n) => sum + Backoff.Exponential.DelayAfter(n, 0));

        Assert.InRange(total.TotalDays, 18, 25);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(24)]
    public void DelayAfter_Fixed_SameEveryTime(int n)
    {
        Assert.Equal(TimeSpan.FromSeconds(42), Backoff.Fixed(42).DelayAfter(n, 29));
    }

    [Theory]
    [InlineData(null, "exponential")]
    [InlineData("", "exponential")]
    [InlineData("exponential", "exponential")]
    [InlineData("EXPONENTIAL", "exponential")]
    [InlineData("fixed:0", "fixed:0")]
    [InlineData("fixed:30", "fixed:30")]
    [InlineData("Fixed:30", "fixed:30")]
    [InlineData("fixed:31536000", "fixed:31536000")]
    public void TryParse_Valid_ParsesToWireForm(string? text, string wire)
    {
        Assert.True(Backoff.TryParse(text, out var backoff));
        Assert.Equal(wire, backoff.Value.ToString());
    }

    [Theory]
    [InlineData("fixed")]
    [InlineData("fixed:")]
    [InlineData("fixed:-1")]
    [InlineData("fixed:+5")]
    [InlineData("fixed: 5")]
    [InlineData("fixed:5 ")]
    [InlineData("fixed:1.5")]
    [InlineData("fixed:31536001")]
    [InlineData("fixed:99999999999")]
    [InlineData("linear")]
    [InlineData(" exponential")]
    [InlineData("exponential:5")]
    public void TryParse_Invalid_False(string text)
    {
        Assert.False(Backoff.TryParse(text, out var backoff));
        Assert.Null(backoff);
    }

    [Fact]
    public void TryParse_RandomStrings_NeverThrowsAndRoundTripsWhatItAccepts()
    {
        var random = new Random(1234);
        const string alphabet = "fixedFIXEDexponential:0123456789-+ .\u0000\u00e9\u0663";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            var text = random.Next(4) == 0 ? "fixed:" + new string(chars) : new string(chars);
            if (Backoff.TryParse(text, out var backoff))
            {
                Assert.True(Backoff.TryParse(backoff.Value.ToString(), out var again));
                Assert.Equal(backoff, again);
            }
        }
    }

    [Fact]
    public void ToStringThenTryParse_FixedValues_RoundTrip()
    {
        var random = new Random(99);
        for (var i = 0; i < 1000; i++)
        {
            var original = Backoff.Fixed(random.Next(0, Backoff.MaxFixedSeconds + 1));

            Assert.True(Backoff.TryParse(original.ToString(), out var parsed));
            Assert.Equal(original, parsed);
        }
    }
}
