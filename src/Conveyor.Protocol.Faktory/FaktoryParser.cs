using System.Buffers;
using System.Text;

namespace Conveyor.Protocol.Faktory;

/// <summary>
/// Parses Faktory command lines (<c>VERB payload</c> ended by CRLF or LF) from a buffer. Pure and
/// synchronous: it knows nothing of sockets, consumes only whole lines and never reads past a limit.
/// </summary>
public static class FaktoryParser
{
    /// <summary>The default longest line: room for a large PUSHB.</summary>
    public const int DefaultMaxLineBytes = 16 << 20;

    /// <summary>The longest verb accepted; longer ones parse as an empty verb (an unknown command).</summary>
    public const int MaxVerbLength = 16;

    /// <summary>
    /// Parses the next command from <paramref name="buffer"/>. On <see cref="ParseStatus.Command"/> the
    /// buffer is advanced past the line; on <see cref="ParseStatus.Incomplete"/> past any blank lines only.
    /// </summary>
    public static ParseStatus TryParse(ref ReadOnlySequence<byte> buffer, int maxLineBytes, out FaktoryCommandLine command)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        command = default;
        var reader = new SequenceReader<byte>(buffer);
        while (true)
        {
            var start = reader.Position;
            if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                // A line of the limit whose CR has come without its LF yet is not too long: room for the CR, so the
                // verdict never depends on where the bytes were split.
                if (reader.Remaining > (long)maxLineBytes + 1)
                {
                    return ParseStatus.LineTooLong;
                }

                buffer = buffer.Slice(start);
                return ParseStatus.Incomplete;
            }

            if (line.Length > 0 && EndsWithCarriageReturn(line))
            {
                line = line.Slice(0, line.Length - 1);
            }

            if (line.Length > maxLineBytes)
            {
                return ParseStatus.LineTooLong;
            }

            if (line.Length == 0)
            {
                continue;
            }

            command = Split(line);
            buffer = buffer.Slice(reader.Position);
            return ParseStatus.Command;
        }
    }

    private static bool EndsWithCarriageReturn(ReadOnlySequence<byte> line)
    {
        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r';
    }

    private static FaktoryCommandLine Split(ReadOnlySequence<byte> line)
    {
        var space = line.PositionOf((byte)' ');
        var verbBytes = space is { } at ? line.Slice(0, at) : line;
        var payload = space is { } after ? line.Slice(line.GetPosition(1, after)).ToArray() : [];
        return new FaktoryCommandLine(ReadVerb(verbBytes), payload);
    }

    private static string ReadVerb(ReadOnlySequence<byte> bytes)
    {
        if (bytes.Length is 0 or > MaxVerbLength)
        {
            return "";
        }

        Span<byte> verb = stackalloc byte[(int)bytes.Length];
        bytes.CopyTo(verb);
        foreach (var b in verb)
        {
            if (b is < (byte)'A' or > (byte)'z' || (b > (byte)'Z' && b < (byte)'a'))
            {
                return "";
            }
        }

        return Encoding.ASCII.GetString(verb).ToUpperInvariant();
    }
}
