using System.Text.Json;
using Conveyor.Core.Storage;
using Conveyor.Server.Mapping;

namespace Conveyor.Server.Json;

/// <summary>
/// The answer to a settle, <c>{"results": [{"id", "status"}]}</c> (the wire <c>SettleResponse</c>), written
/// straight from the store's results into the response body: the same bytes the serializer writes for it (a
/// parity test holds it to that), without building the wire records first.
/// </summary>
/// <remarks>
/// Not <c>SettleResult</c>: that is the store's per-item result this writes. As the fetch answer's job views, the
/// list is assembled from constant pieces in a <see cref="ViewBuffer"/> and written as one raw value.
/// </remarks>
internal sealed class SettleResponseResult(IReadOnlyList<SettleResult> results) : JsonWriterResult
{
    private static readonly JsonEncodedText Results = JsonEncodedText.Encode("results");

    // What follows an item's id: its status, and the end of the item.
    private static readonly byte[] OkEnd = StatusEnd(SettleStatus.Ok);
    private static readonly byte[] StaleEnd = StatusEnd(SettleStatus.Stale);
    private static readonly byte[] UnknownEnd = StatusEnd(SettleStatus.Unknown);

    protected override void WriteBody(Utf8JsonWriter writer) => Write(writer, results);

    public static void Write(Utf8JsonWriter writer, IReadOnlyList<SettleResult> results)
    {
        // An item is 50 bytes with a server-assigned id.
        using var items = new ViewBuffer((results.Count * 50) + 2);
        items.Append("["u8);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            items.Append(i == 0 ? "{\"id\":"u8 : ",{\"id\":"u8);
            items.AppendId(result.Id);
            items.Append(result.Status switch
            {
                SettleStatus.Ok => OkEnd,
                SettleStatus.Stale => StaleEnd,
                _ => UnknownEnd,
            });
        }

        items.Append("]"u8);
        writer.WriteStartObject();
        writer.WritePropertyName(Results);
        writer.WriteRawValue(items.WrittenSpan, skipInputValidation: true);
        writer.WriteEndObject();
    }

    private static byte[] StatusEnd(SettleStatus status) =>
        [.. ",\"status\":"u8, .. ViewBuffer.Quoted(SettleMapping.ToName(status)), .. "}"u8];
}
