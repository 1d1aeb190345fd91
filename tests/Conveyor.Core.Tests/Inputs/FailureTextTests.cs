using Conveyor.Core.Inputs;
using Conveyor.Core.Storage;
using Xunit;

namespace Conveyor.Core.Tests.Inputs;

public sealed class FailureTextTests
{
    private static readonly JobFail Fail = new("01JEXAMPLE0000000000000000", "1", "Boom", "it broke", ["at a", "at b"]);

    [Fact]
    public void Bound_WithinLimits_SameInstance()
    {
        var atLimits = Fail with
        {
            ErrorType = new string('e', InputLimits.ErrorTypeLength),
            Message = new string('m', InputLimits.MessageLength),
            Backtrace = Enumerable.Repeat(new string('b', InputLimits.BacktraceLineLength), InputLimits.BacktraceLines).ToList(),
        };

        Assert.Same(atLimits, FailureText.Bound(atLimits));
    }

    [Fact]
    public void Bound_LongMessage_KeepsTheStartAndSaysHowMuchWasCut()
    {
        var bounded = FailureText.Bound(Fail with { Message = new string('m', InputLimits.MessageLength + 12345) });

        Assert.Equal(new string('m', InputLimits.MessageLength) + "… [truncated 12345 chars]", bounded.Message);
        Assert.Equal(Fail.ErrorType, bounded.ErrorType);
    }

    [Fact]
    public void Bound_LongErrorType_Cut()
    {
        var bounded = FailureText.Bound(Fail with { ErrorType = new string('e', InputLimits.ErrorTypeLength + 1) });

        Assert.Equal(new string('e', InputLimits.ErrorTypeLength) + "… [truncated 1 chars]", bounded.ErrorType);
    }

    [Fact]
    public void Bound_LongBacktrace_KeepsFirstLinesCutsLongOnesAndCountsTheRest()
    {
        var lines = Enumerable.Range(0, InputLimits.BacktraceLines + 7).Select(i => $"at frame {i}").ToList();
        lines[0] = new string('x', InputLimits.BacktraceLineLength + 3);

        var backtrace = FailureText.Bound(Fail with { Backtrace = lines }).Backtrace;

        Assert.Equal(InputLimits.BacktraceLines + 1, backtrace.Count);
        Assert.Equal(new string('x', InputLimits.BacktraceLineLength) + "… [truncated 3 chars]", backtrace[0]);
        Assert.Equal($"at frame {InputLimits.BacktraceLines - 1}", backtrace[^2]);
        Assert.Equal("… [truncated 7 lines]", backtrace[^1]);
    }

    [Fact]
    public void Cut_AtASurrogatePair_NeverSplitsIt()
    {
        var text = new string('a', 9) + "😀" + "tail";

        var cut = FailureText.Cut(text, 10);

        Assert.Equal(new string('a', 9) + "… [truncated 6 chars]", cut);
    }
}
