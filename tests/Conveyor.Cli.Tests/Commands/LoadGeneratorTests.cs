using Conveyor.Cli.Bench;
using Xunit;

namespace Conveyor.Cli.Tests.Commands;

public sealed class LoadGeneratorTests
{
    [Theory]
    [InlineData("bench latency --rate 200", true)]
    [InlineData("bench enqueue", true)]
    [InlineData("bench enqueue -n 1000 --variant single", true)]
    [InlineData("bench enqueue --variant=Single", true)]
    [InlineData("bench enqueue --variant all", true)]
    [InlineData("bench enqueue --variant batched", false)]
    [InlineData("bench enqueue --variant=concurrent -c 8", false)]
    [InlineData("bench e2e -n 1000000", false)]
    [InlineData("bench memory", false)]
    [InlineData("serve", false)]
    public void TimesOneRequestAtATime_ByModeAndVariant(string commandLine, bool expected) =>
        Assert.Equal(expected, LoadGenerator.TimesOneRequestAtATime(CliApp.Create().Parse(commandLine.Split(' '))));
}
