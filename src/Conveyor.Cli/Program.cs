using System.CommandLine;
using Conveyor.Cli;

// SIGTERM and Ctrl+C belong to the server's host (graceful drain + snapshot), not to the parser's timeout.
return await CliApp.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
