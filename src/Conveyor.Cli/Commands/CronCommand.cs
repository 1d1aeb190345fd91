using System.CommandLine;
using System.Globalization;
using Conveyor.Cli.Output;
using Conveyor.Client;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor cron list|get|set|delete|pause|resume</c>: schedules (periodic jobs).</summary>
internal static class CronCommand
{
    public static Command Create() => new("cron", "List, read, set, delete, pause and resume schedules (periodic jobs)")
    {
        List(),
        Get(),
        Set(),
        Act("delete", "Delete a schedule (the jobs it enqueued stay)", "deleted", async (c, n, t) => await c.DeleteScheduleAsync(n, t).ConfigureAwait(false)),
        Act("pause", "Stop a schedule firing (ticks while it is paused never fire)", "paused", async (c, n, t) => await c.PauseScheduleAsync(n, t).ConfigureAwait(false)),
        Act("resume", "Let a schedule fire again from its next tick", "resumed", async (c, n, t) => await c.ResumeScheduleAsync(n, t).ConfigureAwait(false)),
    };

    private static Command List()
    {
        var json = JsonOutput.Option();
        var command = new Command("list", "Print every schedule with its last tick and next fire time") { json };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var schedules = await client.ListSchedulesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse, new CronListResponse(schedules)).ConfigureAwait(false);
                return 0;
            }

            var output = parse.InvocationConfiguration.Output;
            if (schedules.Count == 0)
            {
                await output.WriteLineAsync("no schedules").ConfigureAwait(false);
                return 0;
            }

            var table = new TextTable("NAME", "EXPRESSION", "TIME ZONE", "JOB", "PAUSED", "LAST TICK", "NEXT");
            foreach (var s in schedules)
            {
                table.Add(s.Name, s.Expression, s.TimeZone, $"{s.Job.Type} → {s.Job.Queue}", s.Paused ? "yes" : "no", Time(s.LastTick), s.Next.Count > 0 ? Time(s.Next[0]) : "-");
            }

            await table.WriteToAsync(output).ConfigureAwait(false);
            return 0;
        });
    }

    private static Command Get()
    {
        var name = new Argument<string>("NAME") { Description = "The schedule" };
        var next = new Option<int>("--next") { Description = "How many next fire times to show (1–100)", DefaultValueFactory = _ => 5 };
        var command = new Command("get", "Print one schedule as JSON, with its next fire times") { name, next };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var schedule = await client.GetScheduleAsync(parse.GetValue(name)!, parse.GetValue(next), cancellationToken).ConfigureAwait(false);
            if (schedule is null)
            {
                return await RemoteCommand.NotFoundAsync(parse, $"no schedule '{parse.GetValue(name)}'").ConfigureAwait(false);
            }

            await JsonOutput.WriteAsync(parse, schedule).ConfigureAwait(false);
            return 0;
        });
    }

    private static Command Set()
    {
        var name = new Argument<string>("NAME") { Description = "The schedule" };
        var expression = new Option<string>("--expression") { Description = "A cron expression: 5 fields, or 6 with seconds first", Required = true };
        var type = new Option<string>("--type") { Description = "The job type each tick enqueues", Required = true };
        var queue = new Option<string?>("--queue") { Description = "The queue (default: default)" };
        var args = new Option<string>("--args") { Description = "The job's arguments, any JSON value", DefaultValueFactory = _ => "[]" };
        args.Validators.Add(result =>
        {
            if (EnqueueCommand.NotJson(result.GetValueOrDefault<string>()) is { } why)
            {
                result.AddError($"--args is not JSON: {why}");
            }
        });
        var timeZone = new Option<string?>("--time-zone") { Description = "The IANA time zone the expression is read in (default UTC)" };
        var missed = new Option<string?>("--missed") { Description = "After downtime: fire_once (default) or skip" };
        var paused = new Option<bool>("--paused") { Description = "Create the schedule paused" };
        var command = new Command("set", "Create or replace a schedule (its last tick is kept)") { name, expression, type, queue, args, timeZone, missed, paused };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var request = new CronScheduleRequest
            {
                Expression = parse.GetValue(expression),
                TimeZone = parse.GetValue(timeZone),
                Missed = parse.GetValue(missed),
                Paused = parse.GetValue(paused),
                Job = new EnqueueRequest { Type = parse.GetValue(type), Queue = parse.GetValue(queue), Args = RawJson.FromString(parse.GetValue(args)!) },
            };
            var saved = await client.SetScheduleAsync(parse.GetValue(name)!, request, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"set {saved.Name}: next {(saved.Next.Count > 0 ? Time(saved.Next[0]) : "-")}").ConfigureAwait(false);
            return 0;
        });
    }

    private static Command Act(string name, string description, string done, Func<ConveyorClient, string, CancellationToken, Task> call)
    {
        var schedule = new Argument<string>("NAME") { Description = "The schedule" };
        var command = new Command(name, description) { schedule };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            await call(client, parse.GetValue(schedule)!, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{done} {parse.GetValue(schedule)}").ConfigureAwait(false);
            return 0;
        });
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";
}
