using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Conveyor.Cli.Bench;

/// <summary>
/// Shows how a phase advances: a live Spectre progress bar on a terminal; when the output is redirected (CI,
/// a file), a plain line every few seconds, and only for phases that last that long.
/// </summary>
internal sealed class BenchProgress(IAnsiConsole console, bool interactive)
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);

    public async Task<T> RunAsync<T>(string phase, long total, Func<ProgressCounter, Task<T>> body)
    {
        var counter = new ProgressCounter();
        return interactive
            ? await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(phase, maxValue: Math.Max(1, total));
                    var work = body(counter);
                    while (!work.IsCompleted)
                    {
                        task.Value = counter.Value;
                        await Task.WhenAny(work, Task.Delay(200)).ConfigureAwait(false);
                    }

                    task.Value = counter.Value;
                    return await work.ConfigureAwait(false);
                }).ConfigureAwait(false)
            : await RunPlainAsync(phase, total, counter, body(counter)).ConfigureAwait(false);
    }

    private async Task<T> RunPlainAsync<T>(string phase, long total, ProgressCounter counter, Task<T> work)
    {
        var started = Stopwatch.GetTimestamp();
        while (await Task.WhenAny(work, Task.Delay(PlainEvery)).ConfigureAwait(false) != work)
        {
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phase}: {counter.Value:N0}/{total:N0} jobs after {seconds:F0} s ({counter.Value / seconds:N0}/s)"));
        }

        return await work.ConfigureAwait(false);
    }
}
