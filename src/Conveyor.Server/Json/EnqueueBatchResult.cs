using System.Text.Json;
using Conveyor.Core.Storage;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Json;

/// <summary>
/// The 201 answer to a batch enqueue, <c>{"ids": [...]}</c> and, when some job already existed, <c>"duplicates"</c>: their
/// positions (the wire <c>EnqueueBatchResponse</c>), written
/// straight from the store's result: the same bytes the serializer writes (a parity test holds it to that).
/// </summary>
internal sealed class EnqueueBatchResult(EnqueueResult result) : JsonWriterResult(StatusCodes.Status201Created)
{
    private static readonly JsonEncodedText Ids = JsonEncodedText.Encode("ids");
    private static readonly JsonEncodedText Duplicates = JsonEncodedText.Encode("duplicates");

    protected override void WriteBody(Utf8JsonWriter writer) => Write(writer, result);

    public static void Write(Utf8JsonWriter writer, EnqueueResult result)
    {
        // As the fetch and settle answers: the list assembled from the ids (28 bytes each for a server-assigned one)
        // and written as one raw value.
        using var ids = new ViewBuffer((result.Jobs.Count * 29) + 2);
        ids.Append("["u8);
        for (var i = 0; i < result.Jobs.Count; i++)
        {
            if (i > 0)
            {
                ids.Append(","u8);
            }

            ids.AppendId(result.Jobs[i].Key);
        }

        ids.Append("]"u8);
        writer.WriteStartObject();
        writer.WritePropertyName(Ids);
        writer.WriteRawValue(ids.WrittenSpan, skipInputValidation: true);
        var duplicates = false;
        for (var i = 0; i < result.Jobs.Count; i++)
        {
            if (!result.Jobs[i].Created)
            {
                if (!duplicates)
                {
                    writer.WriteStartArray(Duplicates);
                    duplicates = true;
                }

                writer.WriteNumberValue(i);
            }
        }

        if (duplicates)
        {
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
