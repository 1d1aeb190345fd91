using System.Text.Json;
using System.Text.Unicode;
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
    public static readonly JsonMemberTable<RequestField> Members = new([
        new("ack", RequestField.Ack),
        new("fail", RequestField.Fail),
    ]);

    /// <summary>The members of <see cref="SettleAck"/>, read as a <see cref="SettleAckItem"/>.</summary>
    public static readonly JsonMemberTable<AckField> AckMembers = new([
        new("id", AckField.Id),
        new("token", AckField.Token),
        new("result", AckField.Result),
    ]);

    /// <summary>The members of <see cref="SettleFail"/>.</summary>
    public static readonly JsonMemberTable<FailField> FailMembers = new([
        new("id", FailField.Id),
        new("token", FailField.Token),
        new("error_type", FailField.ErrorType),
        new("message", FailField.Message),
        new("backtrace", FailField.Backtrace),
        new("retry_in_ms", FailField.RetryInMs),
        new("retry", FailField.Retry),
    ]);

    /// <remarks>
    /// Each member is read by the case of the entry its name finds, never by its place in the table: a switch, as the
    /// view writers write, not a delegate per member (a thousand acks made two thousand delegate calls, +9 %, measured).
    /// Unknown members are skipped whole; a repeated member is read again (the last wins).
    /// </remarks>
    public static SettleBody Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, Options);
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new JsonException("the body must be a JSON object, not null");
        }

        Expect(ref reader, JsonTokenType.StartObject, "the body");
        List<SettleAckItem?>? acks = null;
        List<SettleFail?>? fails = null;
        var next = 0;
        while (NextProperty(ref reader))
        {
            var member = Members.Find(ref reader, ref next);
            Next(ref reader);
            switch (member?.Access)
            {
                case RequestField.Ack: acks = AckItems(ref reader, body); break;
                case RequestField.Fail: fails = Items(ref reader, "fail", Fail, 0); break;
                default: reader.Skip(); break;
            }
        }

        End(ref reader);
        return new SettleBody(acks, fails);
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

    private static SettleAckItem? Ack(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        var ack = default(SettleAckItem);
        var next = 0;
        while (NextProperty(ref reader))
        {
            var member = AckMembers.Find(ref reader, ref next);
            Next(ref reader);
            switch (member?.Access)
            {
                case AckField.Id: ack.Id = Id(ref reader, "ack.id"); break;
                case AckField.Token: ack.Token = String(ref reader, "ack.token"); break;
                case AckField.Result: ack.Result = Result(ref reader, body); break;
                default: reader.Skip(); break;
            }
        }

        return ack;
    }

    /// <summary>The acks: an array of objects, or null; a null item stays null.</summary>
    private static List<SettleAckItem?>? AckItems(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray, "ack");
        var items = new List<SettleAckItem?>(AckCapacity(body.Length - reader.BytesConsumed));
        while (true)
        {
            Next(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray: return items;
                case JsonTokenType.Null: items.Add(null); break;
                default: Expect(ref reader, JsonTokenType.StartObject, "ack item"); items.Add(Ack(ref reader, body)); break;
            }
        }
    }

    /// <summary>An ack's result: the value's bytes as sent (UTF-8 checked, as args are), or null for JSON null.</summary>
    private static byte[]? Result(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        var raw = body[start..(int)reader.BytesConsumed];
        return Utf8.IsValid(raw) ? raw.ToArray() : throw new JsonException("ack.result: the value is not valid UTF-8");
    }

    private static SettleFail? Fail(ref Utf8JsonReader reader)
    {
        var fail = new SettleFail();
        var next = 0;
        while (NextProperty(ref reader))
        {
            var member = FailMembers.Find(ref reader, ref next);
            Next(ref reader);
            switch (member?.Access)
            {
                case FailField.Id: fail.Id = String(ref reader, "fail.id"); break;
                case FailField.Token: fail.Token = String(ref reader, "fail.token"); break;
                case FailField.ErrorType: fail.ErrorType = String(ref reader, "fail.error_type"); break;
                case FailField.Message: fail.Message = String(ref reader, "fail.message"); break;
                case FailField.Backtrace: fail.Backtrace = Strings(ref reader, "fail.backtrace", keepNullItems: true); break;
                case FailField.RetryInMs: fail.RetryInMs = Int64(ref reader, "fail.retry_in_ms"); break;
                case FailField.Retry: fail.Retry = Bool(ref reader, "fail.retry"); break;
                default: reader.Skip(); break;
            }
        }

        return fail;
    }

    /// <summary>
    /// About as many acks as the rest of the body holds (one is ~50 bytes with a server-assigned id, at least 40), so
    /// a thousand of them fill one list instead of growing it ten times; for a body of something else the unused
    /// capacity is about the body's size, and never more than 10,001 items.
    /// </summary>
    private static int AckCapacity(long bytesLeft) => (int)Math.Min(bytesLeft / 40, 10_001);

    /// <summary>A member of <see cref="SettleRequest"/>, as <see cref="Members"/> names it.</summary>
    internal enum RequestField
    {
        Ack,
        Fail,
    }

    /// <summary>A member of <see cref="SettleAck"/>, as <see cref="AckMembers"/> names it.</summary>
    internal enum AckField
    {
        Id,
        Token,
        Result,
    }

    /// <summary>A member of <see cref="SettleFail"/>, as <see cref="FailMembers"/> names it.</summary>
    internal enum FailField
    {
        Id,
        Token,
        ErrorType,
        Message,
        Backtrace,
        RetryInMs,
        Retry,
    }
}
