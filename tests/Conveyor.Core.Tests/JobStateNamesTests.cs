using Conveyor.Core.Jobs;
using Xunit;

namespace Conveyor.Core.Tests;

public sealed class JobStateNamesTests
{
    [Fact]
    public void All_EveryEnumValueOnceInLifecycleOrder()
    {
        Assert.Equal(Enum.GetValues<JobState>(), JobStateNames.All);
    }

    [Fact]
    public void ToNameThenTryParse_EveryState_RoundTrips()
    {
        foreach (var state in JobStateNames.All)
        {
            Assert.True(JobStateNames.TryParse(state.ToName(), out var parsed));
            Assert.Equal(state, parsed);
            Assert.True(JobStateNames.TryParse(state.ToName().ToUpperInvariant(), out var upper));
            Assert.Equal(state, upper);
        }
    }

    [Theory]
    [InlineData(JobState.Scheduled, "scheduled")]
    [InlineData(JobState.Available, "available")]
    [InlineData(JobState.Active, "active")]
    [InlineData(JobState.Retrying, "retrying")]
    [InlineData(JobState.Completed, "completed")]
    [InlineData(JobState.Dead, "dead")]
    [InlineData(JobState.Cancelled, "cancelled")]
    public void ToName_State_WireName(JobState state, string name)
    {
        Assert.Equal(name, state.ToName());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("canceled")]
    [InlineData(" active")]
    [InlineData("3")]
    public void TryParse_NotAName_False(string? name)
    {
        Assert.False(JobStateNames.TryParse(name, out var state));
        Assert.Null(state);
    }

    [Fact]
    public void ToName_UndefinedValue_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((JobState)0).ToName());
    }

    [Fact]
    public void IsTerminal_State_OnlyCompletedDeadCancelled()
    {
        Assert.Equal(
            [JobState.Completed, JobState.Dead, JobState.Cancelled],
            JobStateNames.All.Where(s => s.IsTerminal()));
    }
}
