using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Client.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Queues;
using Conveyor.Contracts.Workers;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The API calls the load loops make, on one pooled HTTP/1.1 client with enough connections for every loop.
/// Bodies are serialized up front (known length, no chunking) and answers read once their headers arrive; any non-2xx
/// answer ends the run.
/// </summary>
// Not the SDK's ConveyorClient, on purpose: the bench measures the server, so its hot loops keep this lean client's costs out of the figures.
internal sealed class BenchHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient http;

    public BenchHttp(Uri server)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 4096,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        http = new HttpClient(handler)
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (Environment.GetEnvironmentVariable("CONVEYOR_API_KEY") is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public async Task<string> EnqueueAsync(EnqueueRequest job, CancellationToken cancellationToken) =>
        (await PostAsync("v1/jobs", job, ConveyorJsonContext.Default.EnqueueRequest, ConveyorJsonContext.Default.EnqueueResponse, cancellationToken).ConfigureAwait(false)).Id;

    public Task<IReadOnlyList<string>> EnqueueBatchAsync(IReadOnlyList<EnqueueRequest> jobs, CancellationToken cancellationToken) =>
        EnqueueBatchAsync(JsonSerializer.SerializeToUtf8Bytes(new EnqueueBatchRequest { Jobs = jobs }, ConveyorJsonContext.Default.EnqueueBatchRequest), cancellationToken);

    /// <summary>Posts a batch body serialized earlier (the same unstamped jobs every time), so the load generator spends its CPU on requests, not on JSON; reads the ids with the SDK's reader.</summary>
    public async Task<IReadOnlyList<string>> EnqueueBatchAsync(byte[] body, CancellationToken cancellationToken) =>
        (await PostAsync("v1/jobs/batch", body, EnqueueBatchResponseReader.ReadAsync, cancellationToken).ConfigureAwait(false)).Ids;

    /// <summary>Fetches with the SDK's reader (<see cref="FetchResponseReader"/>), so the load generator's workers parse like real ones.</summary>
    public async Task<IReadOnlyList<JobView>> FetchAsync(FetchRequest request, CancellationToken cancellationToken) =>
        (await PostAsync("v1/fetch", JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.FetchRequest), FetchResponseReader.ReadAsync, cancellationToken).ConfigureAwait(false)).Jobs;

    /// <summary>Settles, reading the answer with the SDK's reader.</summary>
    public Task<SettleResponse> SettleAsync(SettleRequest request, CancellationToken cancellationToken) =>
        PostAsync("v1/settle", JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.SettleRequest),
            (body, token) => SettleResponseReader.ReadAsync(body, request, token), cancellationToken);

    public async Task<StatsResponse> StatsAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("v1/stats", cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "GET /v1/stats", cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ConveyorJsonContext.Default.StatsResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /healthz</c>: the server's cheapest call, the HTTP stack's own round trip.</summary>
    public async Task HealthAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("healthz", cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "GET /healthz", cancellationToken).ConfigureAwait(false);
        _ = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True once <c>/readyz</c> answers 200; false while it answers anything else or cannot be reached.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync("readyz", cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<TResponse> PostAsync<TRequest, TResponse>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        await PostAsync(
            path,
            JsonSerializer.SerializeToUtf8Bytes(body, requestType),
            async (stream, token) => await JsonSerializer.DeserializeAsync(stream, responseType, token).ConfigureAwait(false)
                ?? throw new BenchException($"POST /{path} answered with an empty body"),
            cancellationToken).ConfigureAwait(false);

    private async Task<TResponse> PostAsync<TResponse>(string path, byte[] body, Func<Stream, CancellationToken, ValueTask<TResponse>> read, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;

        // Headers first, then the body read straight into the reader's pooled buffer (as the SDK does), not into a
        // growing MemoryStream first: a fetch answer of a thousand jobs is ~420 KB.
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "POST /" + path, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await read(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
            ?? throw new BenchException($"the server answered {(int)response.StatusCode} with an empty body");

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new BenchException($"{call} answered {(int)response.StatusCode}: {body}");
        }
    }
}
