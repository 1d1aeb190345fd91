using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Conveyor.Testing;

/// <summary>
/// The real <c>conveyor serve</c> binary as a child process on 127.0.0.1, for tests that kill it.
/// The test project must reference <c>Conveyor.Cli</c> so the binary sits next to the test assembly.
/// </summary>
public sealed partial class ConveyorProcess : IDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder output = new();
    private readonly Lock gate = new();
    private bool disposed;

    private ConveyorProcess(string dataDirectory, IEnumerable<string> extraArguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "conveyor"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Faktory and gRPC are off unless a test asks for a port: parallel test servers must not all take 7419 and 7421.
        string[] faktory = extraArguments.Contains("--faktory-port") ? [] : ["--faktory-port", "0"];
        string[] grpc = extraArguments.Contains("--grpc-port") ? [] : ["--grpc-port", "0"];
        string[] bind = extraArguments.Contains("--bind") ? [] : ["--bind", "127.0.0.1"];
        foreach (var argument in (string[])["serve", "--data", dataDirectory, .. bind, "--http-port", "0", .. faktory, .. grpc, .. extraArguments])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"conveyor exited with {process.ExitCode} before listening:\n{Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The HTTP base address, e.g. http://127.0.0.1:40123/ (https:// when started with a TLS certificate).</summary>
    public Uri Address { get; private set; } = null!;

    public int Pid => process.Id;

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits (up to 60 s) until it listens.</summary>
    public static Task<ConveyorProcess> StartAsync(string dataDirectory, params string[] extraArguments) =>
        StartAsync(dataDirectory, new Dictionary<string, string>(), extraArguments);

    /// <summary>Starts the server with extra environment variables (e.g. <c>DOTNET_GCHeapHardLimit</c>) and waits until it listens.</summary>
    public static async Task<ConveyorProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] extraArguments)
    {
        var server = new ConveyorProcess(dataDirectory, extraArguments, environment);
        try
        {
            server.Address = await server.listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits (up to 60 s) until <c>/readyz</c> answers 200: the store has recovered. Listening comes first, and
    /// until then the API answers 503. <paramref name="handler"/> (kept open) reaches an https:// server signed by a test CA.
    /// </summary>
    public async Task WaitReadyAsync(HttpMessageHandler? handler = null)
    {
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromSeconds(5);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                // Not answering yet (or, on a loaded machine, not within the request's 5 s).
            }

            if (deadline.Elapsed >= TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"conveyor did not become ready in 60 s:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Starts the server and waits until it listens and its store has recovered.</summary>
    public static Task<ConveyorProcess> StartReadyAsync(string dataDirectory, params string[] extraArguments) =>
        StartReadyAsync(dataDirectory, null, new Dictionary<string, string>(), extraArguments);

    /// <summary>As above, asking <c>/readyz</c> through <paramref name="handler"/> (for an https:// server).</summary>
    public static Task<ConveyorProcess> StartReadyAsync(string dataDirectory, HttpMessageHandler? handler, params string[] extraArguments) =>
        StartReadyAsync(dataDirectory, handler, new Dictionary<string, string>(), extraArguments);

    /// <summary>Starts the server with extra environment variables and waits until it listens and its store has recovered.</summary>
    public static Task<ConveyorProcess> StartReadyAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] extraArguments) =>
        StartReadyAsync(dataDirectory, null, environment, extraArguments);

    /// <summary>Starts the server with extra environment variables, asking <c>/readyz</c> through <paramref name="handler"/> when given.</summary>
    public static async Task<ConveyorProcess> StartReadyAsync(
        string dataDirectory, HttpMessageHandler? handler, IReadOnlyDictionary<string, string> environment, params string[] extraArguments)
    {
        var server = await StartAsync(dataDirectory, environment, extraArguments);
        try
        {
            await server.WaitReadyAsync(handler);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs. Safe to call from a timer, twice, or after dispose.</summary>
    public void Kill()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, then waits for the graceful exit and returns its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return process.ExitCode;
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
            disposed = true;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Conveyor listening on (https?://\S+)")]
    private static partial Regex ListeningLine();
}
