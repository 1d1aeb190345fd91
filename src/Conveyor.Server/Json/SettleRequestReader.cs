using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using static Conveyor.Server.Json.JsonTokens;

namespace Conveyor.Server.Json;

/// <summary>
/// Reads <c>POST /v1/settle</c> bodies straight off a buffered body with <see cref="Utf8JsonReader"/>: what
/// <see cref="ConveyorJsonContext"/> accepts for <see cref="SettleRequest"/> (snake_case, exact names, strict
/// numbers, unknown members skipped, last duplicate wins), without the generic object and collection converters,
/// into a <see cref="SettleBody"/>: each ack's id read as a job key, a server-assigned id without a string.
/// </summary>
/// <remarks>
/// Nulls stay where the serializer leaves them — a null list, item, field or backtrace frame — so
/// <c>SettleMapping.ToSettle</c> still names the field in its 422. The parity with the serializer is a property
/// test. Malformed input throws <see cref="JsonException"/>.
/// </remarks>
internal static class SettleRequestReader
{
    private delegate T ItemReader<out T>(ref Utf8JsonReader reader);

    /// <summary>The members of <see cref="SettleRequest"/>.</summary>
    public static readonly JsonMemberTable<RequestMember<SettleLists>> Members = new([
        new("ack", static (ref r, body, ref into) => into.Ack = Items(ref r, "ack", Ack, AckCapacity(body.Length - r.BytesConsumed))),
        new("fail", static (ref r, _, ref into) => into.Fail = Items(ref r, "fail", Fail, 0)),
    ]);

    /// <summary>The members of <see cref="SettleAck"/>, read as a <see cref="SettleAckItem"/>.</summary>
    public static readonly JsonMemberTable<RequestMember<SettleAckItem>> AckMembers = new([
        new("id", static (ref r, _, ref ack) => ack.Id = Id(ref r, "ack.id")),
        new("token", static (ref r, _, ref ack) => ack.Token = String(ref r, "ack.token")),
    ]);

    /// <summary>The members of <see cref="SettleFail"/>.</summary>
    public static readonly JsonMemberTable<RequestMember<SettleFail>> FailMembers = new([
        new("id", static (ref r, _, ref fail) => fail.Id = String(ref r, "fail.id")),
        new("token", static (ref r, _, ref fail) => fail.Token = String(ref r, "fail.token")),
        new("error_type", static (ref r, _, ref fail) => fail.ErrorType = String(ref r, "fail.error_type")),
        new("message", static (ref r, _, ref fail) => fail.Message = String(ref r, "fail.message")),
        new("backtrace", static (ref r, _, ref fail) => fail.Backtrace = Strings(ref r, "fail.backtrace", keepNullItems: true)),
        new("retry_in_ms", static (ref r, _, ref fail) => fail.RetryInMs = Int64(ref r, "fail.retry_in_ms")),
    ]);

    public static SettleBody Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, Options);
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new JsonException("the body must be a JSON object, not null");
        }

        Expect(ref reader, JsonTokenType.StartObject, "the body");
        var lists = default(SettleLists);
        ReadObject(ref reader, body, Members, ref lists);
        End(ref reader);
        return new SettleBody(lists.Ack, lists.Fail);
    }

    /// <summary>An array of objects, or null; a null item stays null.</summary>
    private static List<T?>? Items<T>(ref Utf8JsonReader reader, string field, ItemReader<T> read, int capacity)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, field);
        var items = new List<T?>(capacity);
        while (true)
        {
            Next(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray: return items;
                case JsonTokenType.Null: items.Add(default); break;
                default: Expect(ref reader, JsonTokenType.StartObject, field + " item"); items.Add(read(ref reader)); break;
            }
        }
    }

    private static SettleAckItem? Ack(ref Utf8JsonReader reader)
    {
        var ack = default(SettleAckItem);
        ReadObject(ref reader, default, AckMembers, ref ack);
        return ack;
    }

    private static SettleFail? Fail(ref Utf8JsonReader reader)
    {
        var fail = new SettleFail();
        ReadObject(ref reader, default, FailMembers, ref fail);
        return fail;
    }

    /// <summary>
    /// About as many acks as the rest of the body holds (one is ~50 bytes with a server-assigned id, at least 40), so
    /// a thousand of them fill one list instead of growing it ten times; for a body of something else the unused
    /// capacity is about the body's size, and never more than 10,001 items.
    /// </summary>
    private static int AckCapacity(long bytesLeft) => (int)Math.Min(bytesLeft / 40, 10_001);

    /// <summary>A settle body's two lists as they are read.</summary>
    internal struct SettleLists
    {
        public List<SettleAckItem?>? Ack;
        public List<SettleFail?>? Fail;
    }
}
