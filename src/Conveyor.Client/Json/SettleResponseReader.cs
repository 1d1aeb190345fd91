using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client.Json;

/// <summary>
/// Reads a <c>POST /v1/settle</c> answer in one <see cref="Utf8JsonReader"/> pass (a worker reads one per batch
/// it settles), as the serializer reads it; malformed input throws <see cref="JsonException"/>. A property test
/// holds the two together.
/// </summary>
internal static class SettleResponseReader
{
    /// <summary>The members of <see cref="SettleResponse"/>.</summary>
    public static readonly JsonMemberTable<ResponseMember<List<SettleItemResult>?>> Members = new([
        new("results", static (ref p, ref results) => results = p.ReadList(static (ref p) => SettleItemReader.Read(ref p)))]);

    /// <summary>Reads a whole settle response body.</summary>
    /// <exception cref="JsonException">The body is not a settle response.</exception>
    public static SettleResponse Read(ReadOnlySpan<byte> utf8) => Read(utf8, null);

    /// <summary>
    /// Reads the answer to <paramref name="sent"/>: an item whose id is, byte for byte, the one sent at its place (the
    /// server answers the acks, then the fails, each in order) gets that string instead of a new one. The result is
    /// what <see cref="Read(ReadOnlySpan{byte})"/> reads; only the strings are shared.
    /// </summary>
    /// <exception cref="JsonException">The body is not a settle response.</exception>
    public static SettleResponse Read(ReadOnlySpan<byte> utf8, SettleRequest? sent) => ResponseParser.Parse(utf8, static (ref p) =>
    {
        List<SettleItemResult>? results = null;
        p.ReadRoot(Members, ref results);
        return new SettleResponse(results!);
    }, sent);

    /// <summary>Reads a whole settle response from <paramref name="body"/>, buffered in a pooled array.</summary>
    /// <exception cref="JsonException">The body is not a settle response.</exception>
    public static ValueTask<SettleResponse> ReadAsync(Stream body, CancellationToken cancellationToken = default) =>
        PooledBody.ReadAsync(body, Read, cancellationToken);

    /// <summary>Reads the answer to <paramref name="sent"/> (see <see cref="Read(ReadOnlySpan{byte}, SettleRequest?)"/>) from <paramref name="body"/>, buffered in a pooled array.</summary>
    /// <exception cref="JsonException">The body is not a settle response.</exception>
    public static ValueTask<SettleResponse> ReadAsync(Stream body, SettleRequest? sent, CancellationToken cancellationToken = default) =>
        PooledBody.ReadAsync(body, utf8 => Read(utf8, sent), cancellationToken);
}
