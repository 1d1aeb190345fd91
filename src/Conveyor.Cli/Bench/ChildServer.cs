using System.Diagnostics;
using System.Text.RegularExpressions;
using Conveyor.Storage.Embedded;

namespace Conveyor.Cli.Bench;

/// <summary>
/// A <c>conveyor serve</c> child process (this same executable) on a data directory: started, parsed for its
/// address, killed. Its output is drained all along so that it never blocks on a full pipe.
/// </summary>
internal sealed partial class ChildServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> lastLines = new();

    private ChildServer(Process process)
    {
        this.process = process;
    }

    public int Pid => process.Id;

    /// <summary>The milliseconds of the store's own "Recovered ... in N ms" line, once logged.</summary>
    public double? RecoveryMs { get; private set; }

    public static async Task<ChildServer> StartAsync(string dataDirectory, DurabilityMode durability, int port, int faktoryPort, int grpcPort, string logLevel, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var self = Environment.ProcessPath ?? throw new BenchException("cannot find this executable to start a server");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Run as `dotnet conveyor.dll`: the child needs the dll too.
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "conveyor.dll"));
        }

        foreach (var arg in (string[])["serve", "--data", dataDirectory, "--bind", "127.0.0.1", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--durability", durability.ToString().ToLowerInvariant(),
            "--faktory-port", faktoryPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--grpc-port", grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        // Per-request ASP.NET logging at the default level costs more than the work measured; keep Conveyor's own lines.
        start.Environment["Logging__LogLevel__Default"] = logLevel;
        start.Environment["Logging__LogLevel__Conveyor"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var process = Process.Start(start) ?? throw new BenchException($"cannot start {self}");
        var child = new ChildServer(process);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(child.listening.Task, exited).ConfigureAwait(false);
        if (first != child.listening.Task)
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw new BenchException($"the server did not start: {child.Tail()}");
        }

        return child;
    }

    public Task<Uri> Address => listening.Task;

    /// <summary>SIGKILL: no drain, no snapshot, as a crash would leave the data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
    }

    public string Tail()
    {
        lock (lastLines)
        {
            return string.Join(Environment.NewLine, lastLines);
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lastLines)
        {
            lastLines.Enqueue(line);
            if (lastLines.Count > 20)
            {
                lastLines.Dequeue();
            }
        }

        if (ListeningLine().Match(line) is { Success: true } address)
        {
            listening.TrySetResult(new Uri(address.Groups[1].Value));
        }
        else if (RecoveredLine().Match(line) is { Success: true } recovered)
        {
            RecoveryMs = double.Parse(recovered.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [GeneratedRegex(@"^Conveyor listening on (\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Recovered \d+ jobs .* in (\d+(?:\.\d+)?) ms")]
    private static partial Regex RecoveredLine();
}
