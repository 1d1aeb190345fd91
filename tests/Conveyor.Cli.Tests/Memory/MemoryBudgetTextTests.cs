using Xunit;

namespace Conveyor.Cli.Tests.Memory;

/// <summary><c>--memory-budget</c> reads sizes with binary units, a percent of the memory limit, or none.</summary>
public sealed class MemoryBudgetTextTests
{
    private const long Limit = 1L << 30;

    [Theory]
    [InlineData("1048576", 1L << 20)]
    [InlineData("512MB", 512L << 20)]
    [InlineData("512mb", 512L << 20)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("1.5G", 3L << 29)]
    [InlineData("64KB", 64L << 10)]
    [InlineData("100B", 100)]
    [InlineData("50%", Limit / 2)]
    [InlineData("none", long.MaxValue)]
    public void TryParse_ValidText_GivesTheBytes(string text, long expected)
    {
        Assert.True(MemoryBudgetText.TryParse(text, Limit, out var budget));
        Assert.Equal(expected, budget);
    }

    [Fact]
    public void TryParse_Empty_MeansTheDefault()
    {
        Assert.True(MemoryBudgetText.TryParse("", Limit, out var budget));
        Assert.Null(budget);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("12XB")]
    [InlineData("-5MB")]
    [InlineData("0")]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("MB")]
    [InlineData("99999999999TB")]
    public void TryParse_InvalidText_Refused(string text) => Assert.False(MemoryBudgetText.TryParse(text, Limit, out _));
}
