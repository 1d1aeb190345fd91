using System.Buffers;
using System.Globalization;
using System.Text;

namespace Conveyor.Protocol.Faktory;

/// <summary>Writes RESP replies, the subset Faktory uses: simple strings, errors, bulk strings and the null bulk.</summary>
public static class FaktoryReplyWriter
{
    private static readonly byte[] Ok = "+OK\r\n"u8.ToArray();
    private static readonly byte[] NullBulk = "$-1\r\n"u8.ToArray();
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    /// <summary><c>+OK</c>.</summary>
    public static void WriteOk(IBufferWriter<byte> output) => Write(output, Ok);

    /// <summary><c>+text</c>; line breaks in <paramref name="text"/> become spaces.</summary>
    public static void WriteSimple(IBufferWriter<byte> output, string text) => WriteLine(output, '+', text);

    /// <summary><c>-ERR message</c>; line breaks in <paramref name="message"/> become spaces.</summary>
    public static void WriteError(IBufferWriter<byte> output, string message) => WriteError(output, "ERR", message);

    /// <summary>
    /// <c>-CODE message</c>, an error with its own code where Faktory gives one (<c>NOTUNIQUE</c>); line breaks in
    /// <paramref name="message"/> become spaces.
    /// </summary>
    public static void WriteError(IBufferWriter<byte> output, string code, string message) => WriteLine(output, '-', code + " " + message);

    /// <summary><c>$length</c>, the bytes, CRLF.</summary>
    public static void WriteBulk(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        Write(output, Encoding.ASCII.GetBytes("$" + value.Length.ToString(CultureInfo.InvariantCulture) + "\r\n"));
        Write(output, value);
        Write(output, CrLf);
    }

    /// <summary><c>$-1</c>: nothing (e.g. FETCH found no job).</summary>
    public static void WriteNull(IBufferWriter<byte> output) => Write(output, NullBulk);

    private static void WriteLine(IBufferWriter<byte> output, char kind, string text)
    {
        var clean = text.Replace('\r', ' ').Replace('\n', ' ');
        Write(output, Encoding.UTF8.GetBytes(kind + clean + "\r\n"));
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
