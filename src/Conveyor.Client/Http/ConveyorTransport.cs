using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts;
using Conveyor.Contracts.Json;

namespace Conveyor.Client.Http;

/// <summary>
/// Sends one JSON call and reads its answer, turning error answers into <see cref="ConveyorApiException"/>.
/// The <see cref="HttpClient"/> comes from <see cref="IHttpClientFactory"/> per call (cheap; the pooled handler is shared).
/// </summary>
internal sealed class ConveyorTransport
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly Func<HttpClient> httpClient;
    private readonly AuthenticationHeaderValue? authorization;

    public ConveyorTransport(Func<HttpClient> httpClient, ConveyorClientOptions options)
    {
        this.httpClient = httpClient;
        Options = options;
        var key = options.ApiKey ?? Environment.GetEnvironmentVariable(ConveyorClientOptions.ApiKeyVariable);
        authorization = string.IsNullOrWhiteSpace(key) ? null : new AuthenticationHeaderValue("Bearer", key.Trim());
    }

    public ConveyorClientOptions Options { get; }

    public Task<TResponse?> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? requestInfo, JsonTypeInfo<TResponse>? responseInfo,
        TimeSpan extraTime, bool notFoundIsNull, CancellationToken cancellationToken)
        where TResponse : class =>
        SendAndReadAsync<TRequest, TResponse>(
            method, path, body, requestInfo, responseInfo is null ? null : (stream, token) => JsonSerializer.DeserializeAsync(stream, responseInfo, token),
            extraTime, notFoundIsNull, cancellationToken);

    /// <summary>As above, with the answer read by <paramref name="readResponse"/> (null: the answer has no body).</summary>
    public async Task<TResponse?> SendAndReadAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? requestInfo, Func<Stream, CancellationToken, ValueTask<TResponse?>>? readResponse,
        TimeSpan extraTime, bool notFoundIsNull, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var timeout = new CancellationTokenSource(Options.RequestTimeout + extraTime, Options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(method, new Uri(Options.ServerUrl, path));
        if (requestInfo is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body!, requestInfo);
            request.Content = new ByteArrayContent(bytes) { Headers = { ContentType = Json } };
        }
        else if (method != HttpMethod.Get)
        {
            // A call without a body (cancel, retry) still says JSON: the server refuses state changes a web page could send (docs/security.md).
            request.Content = new ByteArrayContent([]) { Headers = { ContentType = Json } };
        }

        request.Headers.Authorization = authorization;

        try
        {
            using var response = await httpClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                if (readResponse is null || response.StatusCode == HttpStatusCode.NoContent)
                {
                    return null;
                }

                var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    return await readResponse(stream, linked.Token).ConfigureAwait(false);
                }
            }

            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            throw new ConveyorApiException(response.StatusCode, await ReadProblemAsync(response, linked.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {path} took longer than {Options.RequestTimeout + extraTime}");
        }
    }

    private static async Task<Problem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, ConveyorJsonContext.Default.Problem);
        }
        catch (JsonException)
        {
            // A proxy in between may answer with HTML; the status alone still says what happened.
            return null;
        }
    }
}
