using System.Text.Json;
using Conveyor.Core.Storage;
using Conveyor.Server.Mapping;

namespace Conveyor.Server.Json;

/// <summary>
/// The answer to a settle, <c>{"results": [{"id", "status"}]}</c> (the wire <c>SettleResponse</c>), written
/// straight from the store's results into the response body: the same bytes the serializer writes for it (a
/// parity test holds it to that), without building the wire records first.
/// </summary>
/// <remarks>Not <c>SettleResult</c>: that is the store's per-item result this writes.</remarks>
internal sealed class SettleResponseResult(IReadOnlyList<SettleResult> results) : JsonWriterResult
{
    private static readonly JsonEncodedText Results = JsonEncodedText.Encode("results");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Ok = JsonEncodedText.Encode(SettleMapping.ToName(SettleStatus.Ok));
    private static readonly JsonEncodedText Stale = JsonEncodedText.Encode(SettleMapping.ToName(SettleStatus.Stale));
    private static readonly JsonEncodedText Unknown = JsonEncodedText.Encode(SettleMapping.ToName(SettleStatus.Unknown));

    protected override void WriteBody(Utf8JsonWriter writer) => Write(writer, results);

    public static void Write(Utf8JsonWriter writer, IReadOnlyList<SettleResult> results)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(Results);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            writer.WriteStartObject();
            writer.WriteString(Id, result.Id);
            writer.WriteString(Status, result.Status switch
            {
                SettleStatus.Ok => Ok,
                SettleStatus.Stale => Stale,
                _ => Unknown,
            });
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
