using System.Text.Json;
using Conveyor.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Json;

/// <summary>
/// The 201 answer to a batch enqueue, <c>{"ids": [...]}</c> (the wire <c>EnqueueBatchResponse</c>), written
/// straight from the store's result: the same bytes the serializer writes (a parity test holds it to that).
/// </summary>
internal sealed class EnqueueBatchResult(EnqueueResult result) : JsonWriterResult(StatusCodes.Status201Created)
{
    private static readonly JsonEncodedText Ids = JsonEncodedText.Encode("ids");

    protected override void WriteBody(Utf8JsonWriter writer) => Write(writer, result);

    public static void Write(Utf8JsonWriter writer, EnqueueResult result)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Ids);
        foreach (var job in result.Jobs)
        {
            writer.WriteIdValue(job.Key);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
