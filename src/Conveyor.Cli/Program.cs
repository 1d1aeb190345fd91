using System.CommandLine;
using System.CommandLine.Invocation;
using Conveyor.Cli;
using Conveyor.Cli.Bench;

// Parsed once: the bench's thread-pool setting is read from the parse before the thread pool starts.
var parse = CliApp.Create().Parse(args);
LoadGenerator.ConfigureProcess(parse);

// A parse error is one line on stderr (a bad --args, a refused --store): the whole help after it would bury it.
if (parse.Action is ParseErrorAction parseError)
{
    parseError.ShowHelp = false;
}

// SIGTERM and Ctrl+C belong to the server's host (graceful drain + snapshot), not to the parser's timeout.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
