using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Json;

namespace Conveyor.Cli;

/// <summary>
/// The client commands' view of a running server: a 2xx answer is printed by the command; a problem's detail
/// goes to stderr with exit code 1; an unreachable server gives a clear message and exit code 2.
/// </summary>
internal sealed class ServerClient(ParseResult parse, Uri server) : IDisposable
{
    public const int ProblemExitCode = 1;
    public const int UnreachableExitCode = 2;

    private static readonly JsonSerializerOptions Indented = new(ConveyorJsonContext.Default.Options) { WriteIndented = true };

    private readonly HttpClient http = new()
    {
        BaseAddress = server,
        Timeout = TimeSpan.FromSeconds(100),
        DefaultRequestHeaders = { Authorization = Environment.GetEnvironmentVariable("CONVEYOR_API_KEY") is { Length: > 0 } key ? new("Bearer", key) : null },
    };

    public static Option<string> ServerOption() =>
        EnvironmentOption.Text("--server", "The server's base URL", "http://127.0.0.1:7420");

    public TextWriter Output => parse.InvocationConfiguration.Output;

    /// <summary>Sends the request; returns the parsed body, or null after reporting a failure (see <see cref="ExitCode"/>).</summary>
    public async Task<T?> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
            }

            await ReportProblemAsync(response, cancellationToken).ConfigureAwait(false);
            ExitCode = ProblemExitCode;
            return null;
        }
        catch (HttpRequestException ex)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"conveyor: cannot reach the server at {server}: {ex.Message}").ConfigureAwait(false);
            ExitCode = UnreachableExitCode;
            return null;
        }
    }

    /// <summary>0, or why the last call failed.</summary>
    public int ExitCode { get; private set; }

    public Task PrintJsonAsync<T>(T value) =>
        Output.WriteLineAsync(JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T))));

    public void Dispose() => http.Dispose();

    private async Task ReportProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? detail = null;
        try
        {
            var problem = JsonSerializer.Deserialize(text, ConveyorJsonContext.Default.Problem);
            detail = problem?.Field is { } field && problem.Detail is { } d && !d.Contains(field, StringComparison.Ordinal) ? $"{field}: {d}" : problem?.Detail ?? problem?.Title;
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page, ...): show the status alone.
        }

        await parse.InvocationConfiguration.Error.WriteLineAsync(
            $"conveyor: {(int)response.StatusCode} {response.ReasonPhrase}: {detail ?? text}").ConfigureAwait(false);
    }
}
