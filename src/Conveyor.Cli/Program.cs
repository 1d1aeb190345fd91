using System.CommandLine;
using Conveyor.Cli;
using Conveyor.Cli.Bench;

LoadGenerator.ConfigureProcess(args);

// SIGTERM and Ctrl+C belong to the server's host (graceful drain + snapshot), not to the parser's timeout.
return await CliApp.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
