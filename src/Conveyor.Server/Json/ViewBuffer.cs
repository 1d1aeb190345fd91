using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>
/// A growable scratch buffer a JSON value is assembled in, piece by piece, to be handed to
/// <see cref="Utf8JsonWriter.WriteRawValue(ReadOnlySpan{byte}, bool)"/> whole: appends are plain copies, strings are
/// escaped exactly as the writer's default encoder escapes them. One per response, reused from value to value; its array is
/// rented from the shared pool and goes back when it is disposed.
/// </summary>
internal sealed class ViewBuffer : IDisposable
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? dateOutput;

    [ThreadStatic]
    private static Utf8JsonWriter? dateWriter;

    // Characters the default encoder (JavaScriptEncoder.Default) writes as they are: ASCII letters, digits and a few
    // punctuation marks that are not HTML-sensitive. A string made only of these is copied; any other goes through
    // JsonEncodedText, which is the writer's own encoder.
    private static readonly SearchValues<char> Plain = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_.:/@");

    private byte[] bytes;
    private int length;

    /// <param name="capacity">The bytes to start with (it grows as needed); rented from the shared pool, returned by <see cref="Dispose"/>.</param>
    public ViewBuffer(int capacity = 1024) => bytes = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 16));

    public ReadOnlySpan<byte> WrittenSpan => bytes.AsSpan(0, length);

    public void Clear() => length = 0;

    public void Append(ReadOnlySpan<byte> value)
    {
        value.CopyTo(GetSpan(value.Length));
        length += value.Length;
    }

    public void Append(bool value) => Append(value ? "true"u8 : "false"u8);

    public void Append(int value)
    {
        // The writer formats numbers with the same formatter; an int needs at most 11 bytes.
        Utf8Formatter.TryFormat(value, GetSpan(11), out var written);
        length += written;
    }

    /// <summary>A string value, quoted and escaped as the writer writes it; <c>null</c> for null.</summary>
    public void AppendString(string? value)
    {
        if (value is null)
        {
            Append("null"u8);
            return;
        }

        if (value.AsSpan().IndexOfAnyExcept(Plain) >= 0)
        {
            AppendQuoted(JsonEncodedText.Encode(value).EncodedUtf8Bytes);
            return;
        }

        var span = GetSpan(value.Length + 2);
        span[0] = (byte)'"';
        var written = Encoding.ASCII.GetBytes(value, span[1..]);
        span[written + 1] = (byte)'"';
        Advance(written + 2);
    }

    /// <summary>Bytes that are already escaped (a <see cref="JsonEncodedText"/>'s), between quotes.</summary>
    public void AppendQuoted(ReadOnlySpan<byte> escaped)
    {
        var span = GetSpan(escaped.Length + 2);
        span[0] = (byte)'"';
        escaped.CopyTo(span[1..]);
        span[escaped.Length + 1] = (byte)'"';
        Advance(escaped.Length + 2);
    }

    /// <summary>
    /// Starts an object whose members are each written with their comma (<see cref="AppendName{TAccess}"/>); returns
    /// where it starts, for <see cref="CloseObject"/> to turn the first member's comma into the object's brace. No
    /// "is this the first member" test per member.
    /// </summary>
    public int OpenObject() => length;

    /// <summary>Ends the object <see cref="OpenObject"/> started at <paramref name="start"/>: <c>{}</c> if it has no member.</summary>
    public void CloseObject(int start)
    {
        if (length == start)
        {
            Append("{}"u8);
            return;
        }

        bytes[start] = (byte)'{';
        Append("}"u8);
    }

    /// <summary>The name of an object's member with the comma before it, <c>,"name":</c> (see <see cref="OpenObject"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AppendName<TField>(in ViewMember<TField> member)
        where TField : notnull
    {
        if (member.Long is { } prefix)
        {
            Append(prefix);
            return;
        }

        // One vector store, then only the prefix's bytes kept: a copy of the prefix's own length was most of the gap
        // between a table-driven view and one written member by member with constant names (measured).
        member.Prefix.StoreUnsafe(ref MemoryMarshal.GetReference(GetSpan(JsonMember<TField>.PaddedLength)));
        Advance(member.Length);
    }

    /// <summary>A date as <see cref="Utf8JsonWriter"/> writes it (ISO 8601, trimmed fraction), quotes included.</summary>
    /// <remarks>A job view formats two or three dates: the scratch writer and its buffer are this thread's, not new each time.</remarks>
    public static byte[] Quoted(DateTimeOffset value)
    {
        var output = dateOutput ??= new ArrayBufferWriter<byte>(48);
        output.ResetWrittenCount();
        var scratch = dateWriter ??= new Utf8JsonWriter(output);
        scratch.Reset(output);
        scratch.WriteStringValue(value);
        scratch.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A string as the writer writes it, quotes included.</summary>
    public static byte[] Quoted(string value)
    {
        var escaped = JsonEncodedText.Encode(value).EncodedUtf8Bytes;
        var quoted = new byte[escaped.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        escaped.CopyTo(quoted.AsSpan(1));
        return quoted;
    }

    /// <summary>
    /// A job's id from its key: a server-assigned id's 26 characters straight from its value (the Crockford alphabet
    /// needs no escaping), without a string; any other id is the string the key holds.
    /// </summary>
    public void AppendId(JobKey key)
    {
        if (!key.TryGetUlid(out var value))
        {
            AppendString(key.ToString());
            return;
        }

        var span = GetSpan(Ulid.Length + 2);
        span[0] = (byte)'"';
        Ulid.FormatUtf8(value, span.Slice(1, Ulid.Length));
        span[Ulid.Length + 1] = (byte)'"';
        Advance(Ulid.Length + 2);
    }

    /// <summary>Hands the bytes back to the pool; disposing twice is harmless, and a later append rents again.</summary>
    public void Dispose()
    {
        Release();
        length = 0;
    }

    /// <summary>Room for at least <paramref name="size"/> more bytes after what is written.</summary>
    private Span<byte> GetSpan(int size)
    {
        if (bytes.Length - length < size)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(bytes.Length * 2, length + size));
            bytes.AsSpan(0, length).CopyTo(bigger);
            Release();
            bytes = bigger;
        }

        return bytes.AsSpan(length);
    }

    private void Advance(int count) => length += count;

    /// <summary>Gives the array back to the pool once (a disposed buffer holds the empty array).</summary>
    private void Release()
    {
        if (bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }

        bytes = [];
    }
}
