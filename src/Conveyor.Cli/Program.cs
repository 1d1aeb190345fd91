using System.CommandLine;
using Conveyor.Cli;
using Conveyor.Cli.Bench;

// Parsed once: the bench's thread-pool setting is read from the parse before the thread pool starts.
var parse = CliApp.Create().Parse(args);
LoadGenerator.ConfigureProcess(parse);

// SIGTERM and Ctrl+C belong to the server's host (graceful drain + snapshot), not to the parser's timeout.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
