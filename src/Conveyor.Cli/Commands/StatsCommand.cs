using System.CommandLine;
using Conveyor.Contracts.Json;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor stats</c>: counts per state, totals and throughput, as JSON.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var server = ServerClient.ServerOption();
        var command = new Command("stats", "Print the server's job counts and totals") { server };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = new ServerClient(parse, new Uri(parse.GetValue(server)!));
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/stats");
            var stats = await client.SendAsync(request, ConveyorJsonContext.Default.StatsResponse, cancellationToken).ConfigureAwait(false);
            if (stats is not null)
            {
                await client.PrintJsonAsync(stats).ConfigureAwait(false);
            }

            return client.ExitCode;
        });
        return command;
    }
}
