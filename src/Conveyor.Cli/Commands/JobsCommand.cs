using System.CommandLine;
using System.Globalization;
using Conveyor.Contracts.Json;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor jobs get ID</c> and <c>conveyor jobs list [--state S] [--queue Q] [--limit N]</c>, as JSON.</summary>
internal static class JobsCommand
{
    public static Command Create() => new("jobs", "Inspect jobs") { Get(), List() };

    private static Command Get()
    {
        var id = new Argument<string>("ID") { Description = "The job id" };
        var server = ServerClient.ServerOption();
        var command = new Command("get", "Print one job") { id, server };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = new ServerClient(parse, new Uri(parse.GetValue(server)!));
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/jobs/" + Uri.EscapeDataString(parse.GetValue(id)!));
            var job = await client.SendAsync(request, ConveyorJsonContext.Default.JobView, cancellationToken).ConfigureAwait(false);
            if (job is not null)
            {
                await client.PrintJsonAsync(job).ConfigureAwait(false);
            }

            return client.ExitCode;
        });
        return command;
    }

    private static Command List()
    {
        var state = new Option<string?>("--state") { Description = "Only jobs in this state" };
        var queue = new Option<string?>("--queue") { Description = "Only jobs of this queue" };
        var limit = new Option<int?>("--limit") { Description = "Page size, 1–1000 (default 50)" };
        var server = ServerClient.ServerOption();
        var command = new Command("list", "Print a page of jobs, newest first") { state, queue, limit, server };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var query = new List<string>();
            Add(query, "state", parse.GetValue(state));
            Add(query, "queue", parse.GetValue(queue));
            Add(query, "limit", parse.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
            using var client = new ServerClient(parse, new Uri(parse.GetValue(server)!));
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/jobs" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
            var page = await client.SendAsync(request, ConveyorJsonContext.Default.JobListResponse, cancellationToken).ConfigureAwait(false);
            if (page is not null)
            {
                await client.PrintJsonAsync(page).ConfigureAwait(false);
            }

            return client.ExitCode;
        });
        return command;
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
