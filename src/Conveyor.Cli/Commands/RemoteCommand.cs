using System.CommandLine;
using Conveyor.Client;

namespace Conveyor.Cli.Commands;

/// <summary>
/// The commands that talk to a running server, through the SDK's <see cref="ConveyorClient"/>. Each gets <c>--server</c>;
/// an error answer prints its detail on one line of stderr and exits 1, an unreachable server exits 2.
/// </summary>
internal static class RemoteCommand
{
    public const int ProblemExitCode = 1;
    public const int UnreachableExitCode = 2;

    /// <summary>Adds <c>--server</c> to <paramref name="command"/> and runs <paramref name="run"/> (which returns the exit code) with a client on it.</summary>
    public static Command WithServer(this Command command, Func<ConveyorClient, ParseResult, CancellationToken, Task<int>> run)
    {
        var server = EnvironmentOption.Text("--server", "The server's base URL", "http://127.0.0.1:7420");
        var caCert = EnvironmentOption.Text("--ca-cert", "A PEM file of the CA that signed an https:// server's certificate (instead of the system's roots)", "");
        command.Options.Add(server);
        command.Options.Add(caCert);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Checked here rather than by a validator, which would not see a value from CONVEYOR_SERVER.
            var error = parse.InvocationConfiguration.Error;
            if (ToUrl(parse.GetValue(server)) is not { } url)
            {
                await error.WriteLineAsync($"conveyor: --server '{parse.GetValue(server)}' is not an http:// or https:// URL").ConfigureAwait(false);
                return ProblemExitCode;
            }

            SocketsHttpHandler handler;
            try
            {
                handler = TrustedAuthority.CreateHandler(parse.GetValue(caCert));
            }
            catch (InvalidDataException e)
            {
                await error.WriteLineAsync($"conveyor: {e.Message}").ConfigureAwait(false);
                return ProblemExitCode;
            }

            using var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
            var client = new ConveyorClient(http, new ConveyorClientOptions { ServerUrl = url });
            try
            {
                return await run(client, parse, cancellationToken).ConfigureAwait(false);
            }
            catch (ConveyorApiException e)
            {
                await error.WriteLineAsync($"conveyor: {Describe(e)} (HTTP {(int)e.StatusCode})").ConfigureAwait(false);
                return ProblemExitCode;
            }
            catch (HttpRequestException e)
            {
                await error.WriteLineAsync($"conveyor: cannot reach the server at {url}: {e.Message}").ConfigureAwait(false);
                return UnreachableExitCode;
            }
            catch (TimeoutException e)
            {
                await error.WriteLineAsync($"conveyor: the server at {url} did not answer in time: {e.Message}").ConfigureAwait(false);
                return UnreachableExitCode;
            }
        });
        return command;
    }

    /// <summary>Prints the line for a call that found nothing (a 404 the SDK turns into null) and returns exit code 1.</summary>
    public static async Task<int> NotFoundAsync(ParseResult parse, string what)
    {
        await parse.InvocationConfiguration.Error.WriteLineAsync($"conveyor: {what}").ConfigureAwait(false);
        return ProblemExitCode;
    }

    private static Uri? ToUrl(string? text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        // The API's paths are relative to the base: without a trailing slash a base path (http://host/conveyor) would be dropped.
        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url + "/");
    }

    private static string Describe(ConveyorApiException e)
    {
        var detail = e.Message;
        return e.Problem?.Field is { } field && !detail.Contains(field, StringComparison.Ordinal) ? $"{field}: {detail}" : detail;
    }
}
