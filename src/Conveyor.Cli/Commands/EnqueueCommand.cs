using System.CommandLine;
using System.Net.Http.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor enqueue TYPE --args JSON --queue Q [--priority N] [--delay-ms N]</c>: prints the job id.</summary>
internal static class EnqueueCommand
{
    public static Command Create()
    {
        var type = new Argument<string>("TYPE") { Description = "The job type" };
        var args = new Option<string>("--args") { Description = "The arguments, any JSON (default [])", DefaultValueFactory = _ => "[]" };
        var queue = new Option<string>("--queue") { Description = "The queue (default: default)", DefaultValueFactory = _ => "default" };
        var priority = new Option<int?>("--priority") { Description = "1–9, higher first (default 5)" };
        var delay = new Option<long?>("--delay-ms") { Description = "Run no sooner than this many milliseconds from now" };
        var server = ServerClient.ServerOption();
        var command = new Command("enqueue", "Enqueue one job and print its id") { type, args, queue, priority, delay, server };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var job = new EnqueueRequest
            {
                Type = parse.GetValue(type),
                Args = RawJson.FromString(parse.GetValue(args)!),
                Queue = parse.GetValue(queue),
                Priority = parse.GetValue(priority),
                DelayMs = parse.GetValue(delay),
            };
            using var client = new ServerClient(parse, new Uri(parse.GetValue(server)!));
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/jobs")
            {
                Content = JsonContent.Create(job, ConveyorJsonContext.Default.EnqueueRequest),
            };
            var response = await client.SendAsync(request, ConveyorJsonContext.Default.EnqueueResponse, cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                await client.Output.WriteLineAsync(response.Id).ConfigureAwait(false);
            }

            return client.ExitCode;
        });
        return command;
    }
}
