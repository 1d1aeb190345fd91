using System.CommandLine;
using System.CommandLine.Invocation;
using Conveyor.Cli;
using Conveyor.Cli.Bench;

// Parsed once: the bench's thread-pool setting is read from the parse before the thread pool starts.
var parse = CliApp.Create().Parse(args);
LoadGenerator.ConfigureProcess(parse);

// A runnable command's parse error (a bad --args, a refused --store) is one line on stderr: the whole help after it
// would bury it. A group without its sub-command (conveyor, conveyor jobs) still shows its help.
if (parse.Action is ParseErrorAction parseError && parse.CommandResult.Command.Action is not null)
{
    parseError.ShowHelp = false;
}

// SIGTERM and Ctrl+C belong to the server's host (graceful drain + snapshot), not to the parser's timeout.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
