using System.CommandLine;
using Conveyor.Cli.Output;
using Conveyor.Client;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor queues list|pause|resume|purge|remove</c>.</summary>
internal static class QueuesCommand
{
    public static Command Create() => new("queues", "List, pause, resume, purge and remove queues")
    {
        List(),
        Act("pause", "Stop fetches from a queue (its jobs stay; enqueues are still accepted)", "paused", (c, q, t) => c.PauseQueueAsync(q, t)),
        Act("resume", "Let fetches take from a queue again", "resumed", (c, q, t) => c.ResumeQueueAsync(q, t)),
        Act("purge", "Remove a queue's available jobs (scheduled, retrying and active ones stay); cannot be undone", "purged", (c, q, t) => c.PurgeQueueAsync(q, t)),
        Act("remove", "Delete a queue that is empty and not paused (its finished jobs stay until pruned)", "removed", (c, q, t) => c.RemoveQueueAsync(q, t)),
    };

    private static Command List()
    {
        var json = JsonOutput.Option();
        var command = new Command("list", "Print every queue with its counts (all pages)") { json };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var queues = await client.ListQueuesAsync(cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(parse, queues).ConfigureAwait(false);
                return 0;
            }

            var output = parse.InvocationConfiguration.Output;
            if (queues.Count == 0)
            {
                await output.WriteLineAsync("no queues").ConfigureAwait(false);
                return 0;
            }

            var table = new TextTable("QUEUE", "AVAILABLE", "SCHEDULED", "RETRYING", "ACTIVE", "PAUSED");
            foreach (var queue in queues)
            {
                table.Add(queue.Name, TextTable.Number(queue.Available), TextTable.Number(queue.Scheduled), TextTable.Number(queue.Retrying),
                    TextTable.Number(queue.Active), queue.Paused ? "yes" : "no");
            }

            await table.WriteToAsync(output).ConfigureAwait(false);
            return 0;
        });
    }

    private static Command Act(string name, string description, string done, Func<ConveyorClient, string, CancellationToken, Task> call)
    {
        var queue = new Argument<string>("QUEUE") { Description = "The queue" };
        var command = new Command(name, description) { queue };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            await call(client, parse.GetValue(queue)!, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{done} {parse.GetValue(queue)}").ConfigureAwait(false);
            return 0;
        });
    }
}
