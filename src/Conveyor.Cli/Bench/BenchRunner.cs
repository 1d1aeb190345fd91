using System.Text.Json;
using Spectre.Console;

namespace Conveyor.Cli.Bench;

/// <summary>Runs one <c>conveyor bench</c> mode against its target, then prints the table and writes the JSON.</summary>
internal static class BenchRunner
{
    public static async Task<int> RunAsync(BenchSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (!interactive)
        {
            // A log or CI page is not a terminal: do not wrap the table at 80 columns.
            console.Profile.Width = 240;
        }

        var started = DateTimeOffset.UtcNow;
        try
        {
            if (settings.Mode == BenchMode.Fsync)
            {
                var probeTime = TimeSpan.FromSeconds(Math.Max(settings.FsyncProbeSeconds, 0.5));
                var (append, preallocated) = await FsyncProbe.RunBothAsync(settings.DataRoot, probeTime, cancellationToken).ConfigureAwait(false);
                var roundTrip = await RoundTripProbe.RunAsync(probeTime, cancellationToken).ConfigureAwait(false);
                Finish(console, settings, started, "(none)", [append, preallocated, roundTrip], FsyncProbe.Figures(append, preallocated));
                return 0;
            }

            await using var target = await BenchTarget.StartAsync(settings, cancellationToken).ConfigureAwait(false);
            var run = new BenchRun(settings, target, new BenchProgress(console, interactive), cancellationToken);
            await (settings.Mode switch
            {
                BenchMode.Enqueue => EnqueueBench.RunAsync(run),
                BenchMode.EndToEnd => EndToEndBench.RunAsync(run),
                BenchMode.Latency => LatencyBench.RunAsync(run),
                BenchMode.Memory => MemoryBench.RunAsync(run),
                _ => throw new BenchException($"unknown mode {settings.Mode}"),
            }).ConfigureAwait(false);
            Finish(console, settings, started, target.Description, run.Rows, run.Figures);
            return 0;
        }
        catch (BenchException ex)
        {
            await error.WriteLineAsync($"conveyor bench: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"conveyor bench: the server could not be reached: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static void Finish(IAnsiConsole console, BenchSettings settings, DateTimeOffset started, string server, IReadOnlyList<BenchRow> rows, IReadOnlyList<BenchFigure> figures)
    {
        var report = new BenchReport
        {
            Mode = settings.Mode == BenchMode.EndToEnd ? "e2e" : settings.Mode.ToString().ToLowerInvariant(),
            Command = settings.CommandLine,
            Machine = MachineInfo.Describe(),
            Server = server,
            StartedAt = started,
            Rows = rows,
            Figures = figures,
        };
        BenchTable.Write(console, report);
        if (settings.JsonFile is { } path)
        {
            File.WriteAllText(path, JsonSerializer.Serialize(report, BenchJsonContext.Default.BenchReport));
            console.WriteLine($"wrote {path}");
        }
    }
}
