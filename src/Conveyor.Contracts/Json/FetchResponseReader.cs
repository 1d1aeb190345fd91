using System.Text.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Contracts.Json;

/// <summary>
/// Reads a <c>POST /v1/fetch</c> answer in one <see cref="Utf8JsonReader"/> pass: what a worker does on every
/// fetch, where the serializer's metadata path was most of a busy worker's CPU. It reads what the serializer
/// reads (<see cref="ConveyorJsonContext"/>: snake_case names, unknown members skipped, the same defaults);
/// malformed input throws <see cref="JsonException"/>. A property test holds the two together.
/// </summary>
public static class FetchResponseReader
{
    /// <summary>Reads a whole fetch response body.</summary>
    /// <exception cref="JsonException">The body is not a fetch response.</exception>
    public static FetchResponse Read(ReadOnlySpan<byte> utf8) => ResponseParser.Parse(utf8, static (ref ResponseParser p) => p.ReadFetchResponse());

    /// <summary>Reads a whole fetch response from <paramref name="body"/>, buffered in a pooled array.</summary>
    /// <exception cref="JsonException">The body is not a fetch response.</exception>
    public static ValueTask<FetchResponse> ReadAsync(Stream body, CancellationToken cancellationToken = default) =>
        PooledBody.ReadAsync(body, Read, cancellationToken);
}
