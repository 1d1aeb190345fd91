using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Client.Json;

/// <summary>
/// Reads a <c>POST /v1/jobs/batch</c> answer (<c>{"ids": [...], "duplicates": [...]}</c>) in one <see cref="Utf8JsonReader"/> pass, as
/// the serializer reads it; malformed input throws <see cref="JsonException"/>. A property test holds the two together.
/// </summary>
internal static class EnqueueBatchResponseReader
{
    /// <summary>The members of <see cref="EnqueueBatchResponse"/>.</summary>
    public static readonly JsonMemberTable<ResponseMember<Reading>> Members = new([
        new("ids", static (ref p, ref into) => into.Ids = p.ReadList(static (ref p) => p.ReadString()!)),
        new("duplicates", static (ref p, ref into) => into.Duplicates = p.ReadList(static (ref p) => p.ReadInt()))]);

    /// <summary>Reads a whole batch enqueue response body.</summary>
    /// <exception cref="JsonException">The body is not a batch enqueue response.</exception>
    public static EnqueueBatchResponse Read(ReadOnlySpan<byte> utf8) => ResponseParser.Parse(utf8, static (ref p) =>
    {
        var into = default(Reading);
        p.ReadRoot(Members, ref into);
        return new EnqueueBatchResponse(into.Ids!) { Duplicates = into.Duplicates };
    });

    /// <summary>The members read so far.</summary>
    internal struct Reading
    {
        public List<string>? Ids;
        public List<int>? Duplicates;
    }

    /// <summary>Reads a whole batch enqueue response from <paramref name="body"/>, buffered in a pooled array.</summary>
    /// <exception cref="JsonException">The body is not a batch enqueue response.</exception>
    public static ValueTask<EnqueueBatchResponse> ReadAsync(Stream body, CancellationToken cancellationToken = default) =>
        PooledBody.ReadAsync(body, Read, cancellationToken);
}
