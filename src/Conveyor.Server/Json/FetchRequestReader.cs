using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using static Conveyor.Server.Json.JsonTokens;

namespace Conveyor.Server.Json;

/// <summary>
/// Reads <c>POST /v1/fetch</c> bodies straight off a buffered body with <see cref="Utf8JsonReader"/>: what
/// <see cref="ConveyorJsonContext"/> accepts for <see cref="FetchRequest"/> (snake_case, exact names, strict numbers,
/// unknown members skipped, last duplicate wins, a null queue name kept for the broker to refuse).
/// </summary>
/// <remarks>
/// A worker fetching one job at a time sends one of these per job: the serializer's resumable path over the request
/// stream cost more per call than the rest of the endpoint's own work. Malformed input throws <see cref="JsonException"/>.
/// </remarks>
internal static class FetchRequestReader
{
    /// <summary>The members of <see cref="FetchRequest"/>.</summary>
    public static readonly JsonMemberTable<Field> Members = new([
        new("queues", Field.Queues),
        new("max", Field.Max),
        new("wait_ms", Field.WaitMs),
        new("worker_id", Field.WorkerId),
        new("omit_defaults", Field.OmitDefaults),
    ]);

    public static FetchRequest Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, Options);
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new JsonException("the body must be a JSON object, not null");
        }

        Expect(ref reader, JsonTokenType.StartObject, "the body");
        var request = new FetchRequest();
        var next = 0;
        while (NextProperty(ref reader))
        {
            var member = Members.Find(ref reader, ref next);
            Next(ref reader);
            switch (member?.Access)
            {
                case Field.Queues: request.Queues = Strings(ref reader, "queues", keepNullItems: true); break;
                case Field.Max: request.Max = Int32(ref reader, "max"); break;
                case Field.WaitMs: request.WaitMs = Int32(ref reader, "wait_ms"); break;
                case Field.WorkerId: request.WorkerId = String(ref reader, "worker_id"); break;
                case Field.OmitDefaults: request.OmitDefaults = Bool(ref reader, "omit_defaults"); break;
                default: reader.Skip(); break;
            }
        }

        End(ref reader);
        return request;
    }

    /// <summary>A member of <see cref="FetchRequest"/>, as <see cref="Members"/> names it.</summary>
    internal enum Field
    {
        Queues,
        Max,
        WaitMs,
        WorkerId,
        OmitDefaults,
    }
}
