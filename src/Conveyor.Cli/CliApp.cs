using System.CommandLine;
using Conveyor.Cli.Commands;

namespace Conveyor.Cli;

/// <summary>The <c>conveyor</c> command tree.</summary>
internal static class CliApp
{
    public static RootCommand Create() => new("Conveyor: a durable background-job server")
    {
        ServeCommand.Create(),
        EnqueueCommand.Create(),
        StatsCommand.Create(),
        JobsCommand.Create(),
        QueuesCommand.Create(),
        CronCommand.Create(),
        WorkersCommand.Create(),
        BenchCommand.Create(),
        KeysCommand.Create(),
    };
}
