using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Jobs;
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
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("ack"u8))
            {
                Next(ref reader);
                acks = Items(ref reader, "ack", Ack, AckCapacity(body.Length - reader.BytesConsumed));
            }
            else if (name.SequenceEqual("fail"u8))
            {
                Next(ref reader);
                fails = Items(ref reader, "fail", Fail, 0);
            }
            else
            {
                SkipValue(ref reader);
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

    /// <summary>
    /// About as many acks as the rest of the body holds (one is ~50 bytes with a server-assigned id, at least 40), so
    /// a thousand of them fill one list instead of growing it ten times; for a body of something else the unused
    /// capacity is about the body's size, and never more than 10,001 items.
    /// </summary>
    private static int AckCapacity(long bytesLeft) => (int)Math.Min(bytesLeft / 40, 10_001);

    private static SettleAckItem? Ack(ref Utf8JsonReader reader)
    {
        JobKey? id = null;
        string? token = null;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            Next(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                id = Id(ref reader, "ack.id");
            }
            else if (name.SequenceEqual("token"u8))
            {
                token = String(ref reader, "ack.token");
            }
            else
            {
                reader.Skip();
            }
        }

        return new SettleAckItem(id, token);
    }

    private static SettleFail? Fail(ref Utf8JsonReader reader)
    {
        string? id = null, token = null, errorType = null, message = null;
        List<string>? backtrace = null;
        long? retryInMs = null;
        while (NextProperty(ref reader))
        {
            var property = Property(PropertyName(ref reader));
            Next(ref reader);
            switch (property)
            {
                case FailProperty.Id: id = String(ref reader, "fail.id"); break;
                case FailProperty.Token: token = String(ref reader, "fail.token"); break;
                case FailProperty.ErrorType: errorType = String(ref reader, "fail.error_type"); break;
                case FailProperty.Message: message = String(ref reader, "fail.message"); break;
                case FailProperty.Backtrace: backtrace = Strings(ref reader, "fail.backtrace", keepNullItems: true); break;
                case FailProperty.RetryInMs: retryInMs = Int64(ref reader, "fail.retry_in_ms"); break;
                default: reader.Skip(); break;
            }
        }

        return new SettleFail { Id = id, Token = token, ErrorType = errorType, Message = message, Backtrace = backtrace, RetryInMs = retryInMs };
    }

    private enum FailProperty
    {
        Unknown,
        Id,
        Token,
        ErrorType,
        Message,
        Backtrace,
        RetryInMs,
    }

    private static FailProperty Property(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("id"u8) => FailProperty.Id,
        _ when name.SequenceEqual("token"u8) => FailProperty.Token,
        _ when name.SequenceEqual("error_type"u8) => FailProperty.ErrorType,
        _ when name.SequenceEqual("message"u8) => FailProperty.Message,
        _ when name.SequenceEqual("backtrace"u8) => FailProperty.Backtrace,
        _ when name.SequenceEqual("retry_in_ms"u8) => FailProperty.RetryInMs,
        _ => FailProperty.Unknown,
    };
}
