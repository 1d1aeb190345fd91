using System.CommandLine;
using Conveyor.Cli.Output;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor workers [--json]</c>: the worker processes that sent a heartbeat in the last 60 s.</summary>
internal static class WorkersCommand
{
    public static Command Create()
    {
        var json = JsonOutput.Option();
        var command = new Command("workers", "List the worker processes heard from in the last 60 s (those that send heartbeats, e.g. Faktory clients)") { json };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var workers = await client.ListWorkersAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse, workers).ConfigureAwait(false);
                return 0;
            }

            var output = parse.InvocationConfiguration.Output;
            if (workers.Count == 0)
            {
                await output.WriteLineAsync("no worker process sent a heartbeat in the last 60 s").ConfigureAwait(false);
                return 0;
            }

            var table = new TextTable("WID", "HOSTNAME", "PID", "STATE", "STARTED", "LAST BEAT", "LABELS");
            foreach (var worker in workers)
            {
                table.Add(worker.Wid, worker.Hostname ?? "-", worker.Pid is { } pid ? TextTable.Number(pid) : "-", worker.State,
                    TextTable.Time(worker.StartedAt), TextTable.Time(worker.LastBeatAt), worker.Labels.Count > 0 ? string.Join(',', worker.Labels) : "-");
            }

            await table.WriteToAsync(output).ConfigureAwait(false);
            return 0;
        });
    }
}
