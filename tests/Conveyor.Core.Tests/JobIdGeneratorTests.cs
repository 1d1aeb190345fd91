using Conveyor.Core.Jobs;
using Xunit;

namespace Conveyor.Core.Tests;

public sealed class JobIdGeneratorTests
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NewId_Any_26CrockfordChars()
    {
        for (var i = 0; i < 1000; i++)
        {
            var id = JobIdGenerator.NewId(Start.AddMilliseconds(i * 7919));

            Assert.Equal(26, id.Length);
            Assert.All(id, c => Assert.Contains(c, Crockford));
        }
    }

    [Fact]
    public void NewId_LaterMillisecond_SortsAfter()
    {
        var previous = JobIdGenerator.NewId(Start);
        for (var ms = 1; ms < 5000; ms += 3)
        {
            var next = JobIdGenerator.NewId(Start.AddMilliseconds(ms));

            Assert.True(string.CompareOrdinal(previous, next) < 0, $"{previous} should sort before {next}");
            previous = next;
        }
    }

    [Fact]
    public void NewId_SameMillisecond_SharesTimePrefix()
    {
        var a = JobIdGenerator.NewId(Start);
        var b = JobIdGenerator.NewId(Start);

        Assert.Equal(a[..10], b[..10]);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void NewId_KnownTime_EncodesUnixMilliseconds()
    {
        var id = JobIdGenerator.NewId(Start);

        long ms = 0;
        foreach (var c in id[..10])
        {
            ms = (ms * 32) + Crockford.IndexOf(c, StringComparison.Ordinal);
        }

        Assert.Equal(Start.ToUnixTimeMilliseconds(), ms);
    }

    [Fact]
    public void NewId_HundredThousandAtOneInstant_AllUnique()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 100_000; i++)
        {
            Assert.True(ids.Add(JobIdGenerator.NewId(Start)));
        }
    }

    [Fact]
    public void NewId_SameMillisecond_SortsInCreationOrder()
    {
        var previous = JobIdGenerator.NewId(Start.AddMilliseconds(1));
        for (var i = 0; i < 10_000; i++)
        {
            var next = JobIdGenerator.NewId(Start.AddMilliseconds(1));

            Assert.True(string.CompareOrdinal(previous, next) < 0, $"{previous} should sort before {next}");
            previous = next;
        }
    }

    [Fact]
    public void NewId_NewMillisecond_DrawsFreshRandomBits()
    {
        var a = JobIdGenerator.NewId(Start.AddMilliseconds(10));
        var b = JobIdGenerator.NewId(Start.AddMilliseconds(11));
        var c = JobIdGenerator.NewId(Start.AddMilliseconds(12));

        // Counting up would change only the last characters; fresh bits differ early in the random part.
        Assert.False(a[10..20] == b[10..20] && b[10..20] == c[10..20], $"{a} {b} {c}");
    }

    [Fact]
    public void NewId_ManyMilliseconds_FreshRandomPartEachPastTheBufferRefills()
    {
        // Each first id of a millisecond takes 80 bits from a buffer of the cryptographic generator's output refilled
        // every 64 draws: a thousand draws span many refills, and every random part is new (a buffer not refilled,
        // or read twice, would repeat them).
        var randomParts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var id = JobIdGenerator.NewId(Start.AddMilliseconds(100 + i));

            Assert.True(randomParts.Add(id[10..]), $"random part of {id} seen before");
        }
    }

    [Fact]
    public void NewId_BeforeEpoch_StillValid()
    {
        var id = JobIdGenerator.NewId(DateTimeOffset.UnixEpoch.AddDays(-1));

        Assert.Equal(26, id.Length);
        Assert.StartsWith("0000000000", id, StringComparison.Ordinal);
    }
}
