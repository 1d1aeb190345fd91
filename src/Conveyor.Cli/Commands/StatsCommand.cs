using System.CommandLine;
using System.Globalization;
using Conveyor.Cli.Output;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor stats [--json]</c>: jobs per state, lifetime totals and throughput.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var json = JsonOutput.Option();
        var command = new Command("stats", "Print the server's job counts and totals") { json };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var stats = await client.GetStatsAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse, stats).ConfigureAwait(false);
                return 0;
            }

            var table = new TextTable("STATE", "JOBS");
            foreach (var (state, count) in stats.Counts)
            {
                table.Add(state, TextTable.Number(count));
            }

            var output = parse.InvocationConfiguration.Output;
            await table.WriteToAsync(output).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"attempts completed {stats.Processed}, failed {stats.Failed}; {stats.Throughput:0.##} jobs/s completed over the last minute")).ConfigureAwait(false);
            return 0;
        });
    }
}
