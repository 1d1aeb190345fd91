using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client.Json;

/// <summary>
/// Reads a <c>POST /v1/fetch</c> answer in one <see cref="Utf8JsonReader"/> pass: what a worker does on every
/// fetch, where the serializer's metadata path was most of a busy worker's CPU. It reads what the serializer
/// reads (<see cref="ConveyorJsonContext"/>: snake_case names, unknown members skipped, the same defaults);
/// malformed input throws <see cref="JsonException"/>. A property test holds the two together.
/// </summary>
internal static class FetchResponseReader
{
    /// <summary>The members of <see cref="FetchResponse"/>.</summary>
    public static readonly JsonMemberTable<ResponseMember<List<JobView>?>> Members = new([
        new("jobs", static (ref p, ref jobs) => jobs = p.ReadList(static (ref p) => JobViewReader.Read(ref p)))]);

    /// <summary>Reads a whole fetch response body.</summary>
    /// <exception cref="JsonException">The body is not a fetch response.</exception>
    public static FetchResponse Read(ReadOnlySpan<byte> utf8) => ResponseParser.Parse(utf8, static (ref p) =>
    {
        List<JobView>? jobs = null;
        p.ReadRoot(Members, ref jobs);
        return new FetchResponse(jobs!);
    });

    /// <summary>Reads a whole fetch response from <paramref name="body"/>, buffered in a pooled array.</summary>
    /// <exception cref="JsonException">The body is not a fetch response.</exception>
    public static ValueTask<FetchResponse> ReadAsync(Stream body, CancellationToken cancellationToken = default) =>
        PooledBody.ReadAsync(body, Read, cancellationToken);
}
