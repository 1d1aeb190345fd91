using Conveyor.Core.Telemetry;
using Xunit;

namespace Conveyor.Core.Tests;

public sealed class LabelCapTests
{
    [Fact]
    public void Label_PastTheLimit_OtherForNewNamesAndTheSameForKnownOnes()
    {
        var cap = new LabelCap(2);

        Assert.Equal("a", cap.Label("a"));
        Assert.Equal("b", cap.Label("b"));
        Assert.Equal(LabelCap.Other, cap.Label("c"));
        Assert.Equal("a", cap.Label("a"));
        Assert.Equal(LabelCap.Other, cap.Label("d"));
    }
}
