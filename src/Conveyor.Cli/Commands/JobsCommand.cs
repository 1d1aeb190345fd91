using System.CommandLine;
using Conveyor.Cli.Output;
using Conveyor.Client;
using Conveyor.Core.Jobs;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor jobs get|list|cancel|retry</c>: one job as JSON, a page of jobs as a table (or JSON), and the two operator verbs.</summary>
internal static class JobsCommand
{
    public static Command Create() => new("jobs", "Inspect, cancel and retry jobs") { Get(), List(), Cancel(), Retry() };

    private static Command Get()
    {
        var id = new Argument<string>("ID") { Description = "The job id" };
        var command = new Command("get", "Print one job as JSON: state, attempts, failures, lease") { id };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var job = await client.GetAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (job is null)
            {
                return await RemoteCommand.NotFoundAsync(parse, $"no job '{parse.GetValue(id)}'").ConfigureAwait(false);
            }

            await JsonOutput.WriteAsync(parse, job).ConfigureAwait(false);
            return 0;
        });
    }

    private static Command List()
    {
        var state = new Option<string?>("--state") { Description = "Only jobs in this state" };
        state.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && !JobStateNames.TryParse(name, out _))
            {
                result.AddError($"--state '{name}' is not a state: {string.Join(", ", JobStateNames.All.Select(s => s.ToName()))}");
            }
        });
        var queue = new Option<string?>("--queue") { Description = "Only jobs of this queue" };
        var type = new Option<string?>("--type") { Description = "Only jobs of this type" };
        var limit = new Option<int?>("--limit") { Description = "Page size, 1–1000; the server's default is 50" };
        var cursor = new Option<string?>("--cursor") { Description = "Where the previous page ended (it prints the cursor of the next)" };
        var json = JsonOutput.Option();
        var command = new Command("list", "Print a page of jobs, newest first") { state, queue, type, limit, cursor, json };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var page = await client.ListAsync(new JobQuery
            {
                State = parse.GetValue(state),
                Queue = parse.GetValue(queue),
                Type = parse.GetValue(type),
                Limit = parse.GetValue(limit),
                Cursor = parse.GetValue(cursor),
            }, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse, page).ConfigureAwait(false);
                return 0;
            }

            var output = parse.InvocationConfiguration.Output;
            if (page.Jobs.Count == 0)
            {
                await output.WriteLineAsync("no jobs").ConfigureAwait(false);
                return 0;
            }

            var table = new TextTable("ID", "TYPE", "QUEUE", "STATE", "ATTEMPT", "CREATED", "RUN AT");
            foreach (var job in page.Jobs)
            {
                table.Add(job.Id, job.Type, job.Queue, job.State, $"{job.Attempt}/{job.MaxAttempts}", TextTable.Time(job.CreatedAt), TextTable.Time(job.RunAt));
            }

            await table.WriteToAsync(output).ConfigureAwait(false);
            if (page.NextCursor is { } next)
            {
                await output.WriteLineAsync($"more: --cursor {next}").ConfigureAwait(false);
            }

            return 0;
        });
    }

    private static Command Cancel()
    {
        var id = new Argument<string>("ID") { Description = "The job id" };
        var command = new Command("cancel", "Cancel a scheduled, available, active or retrying job") { id };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            await client.CancelAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"cancelled {parse.GetValue(id)}").ConfigureAwait(false);
            return 0;
        });
    }

    private static Command Retry()
    {
        var id = new Argument<string>("ID") { Description = "The job id" };
        var command = new Command("retry", "Make a dead or retrying job available now") { id };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            await client.RetryAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{parse.GetValue(id)} is available again").ConfigureAwait(false);
            return 0;
        });
    }
}
