using System.CommandLine;
using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor enqueue TYPE --args JSON --queue Q [--priority N] [--delay-ms N]</c>: prints the job id.</summary>
internal static class EnqueueCommand
{
    public static Command Create()
    {
        var type = new Argument<string>("TYPE") { Description = "The job type" };
        var args = new Option<string>("--args") { Description = "The arguments, any JSON value", DefaultValueFactory = _ => "[]" };
        args.Validators.Add(result =>
        {
            if (NotJson(result.GetValueOrDefault<string>()) is { } why)
            {
                result.AddError($"--args is not JSON: {why}");
            }
        });
        var queue = new Option<string>("--queue") { Description = "The queue", DefaultValueFactory = _ => "default" };
        var priority = new Option<int?>("--priority") { Description = "1–9, higher first; the server's default is 5" };
        var delay = new Option<long?>("--delay-ms") { Description = "Run no sooner than this many milliseconds from now" };
        var command = new Command("enqueue", "Enqueue one job and print its id") { type, args, queue, priority, delay };
        return command.WithServer(async (client, parse, cancellationToken) =>
        {
            var id = await client.EnqueueRawAsync(new EnqueueRequest
            {
                Type = parse.GetValue(type),
                Args = RawJson.FromString(parse.GetValue(args)!),
                Queue = parse.GetValue(queue),
                Priority = parse.GetValue(priority),
                DelayMs = parse.GetValue(delay),
            }, cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync(id).ConfigureAwait(false);
            return 0;
        });
    }

    /// <summary>Why <paramref name="text"/> is not one JSON value, or null when it is (checked here: the server keeps args byte for byte).</summary>
    internal static string? NotJson(string? text)
    {
        try
        {
            using var document = JsonDocument.Parse(text ?? "");
            return null;
        }
        catch (JsonException e)
        {
            // The message carries line and byte position on one line; the CLI's error stays one line.
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}
