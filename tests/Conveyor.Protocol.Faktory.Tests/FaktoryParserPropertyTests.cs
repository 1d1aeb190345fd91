using System.Buffers;
using System.Text;
using CsCheck;
using Xunit;

namespace Conveyor.Protocol.Faktory.Tests;

/// <summary>
/// CsCheck properties of <see cref="FaktoryParser"/> over random byte streams (command lines, blank lines, bare CRs
/// and LFs, long lines, random bytes): the same stream gives the same commands and the same verdict whether it is one
/// buffer, a buffer split at random points, or bytes fed as a connection receives them. It never throws.
/// </summary>
public sealed class FaktoryParserPropertyTests
{
    private const int MaxLine = 48;

    private static readonly Gen<byte[]> Line =
        from verb in Gen.OneOf("PUSH", "fetch", "ACK", "HELLO", "END", "", "P!SH", "TOOLONGVERBTOOLONGVERB")
        from payload in Gen.OneOf(
            Gen.Char["{}[]\":,ab12 \u00e9"].Array[0, 60].Select(c => new string(c)),
            Gen.Const(""))
        from ending in Gen.OneOf("\r\n", "\n", "\r", "\r\r\n", "")
        select Encoding.UTF8.GetBytes(verb + (payload.Length > 0 ? " " + payload : "") + ending);

    private static readonly Gen<byte[]> Stream = Gen.OneOf(Line, Gen.Byte.Array[0, 8]).Array[0, 8].Select(parts => parts.SelectMany(p => p).ToArray());

    [Fact]
    public void TryParse_StreamSplitAtRandomPoints_SameCommandsAsUnsplit()
    {
        Gen.Select(Stream, Gen.Int[0, 200].Array[0, 6]).Sample((bytes, cuts) =>
        {
            var whole = ParseAll(new ReadOnlySequence<byte>(bytes));
            var split = ParseAll(bytes.Length == 0 ? ReadOnlySequence<byte>.Empty : Segments.Split(bytes, cuts));

            Assert.Equal(whole, split);
        }, iter: 3_000);
    }

    [Fact]
    public void TryParse_StreamFedInRandomReads_SameCommandsAndVerdictAsWhole()
    {
        Gen.Select(Stream, Gen.Int[1, 16]).Sample((bytes, chunk) =>
        {
            var whole = ParseAll(new ReadOnlySequence<byte>(bytes));
            var expected = whole.Where(c => !c.StartsWith('#')).Append(whole[^1][1..whole[^1].IndexOf(':', StringComparison.Ordinal)]);

            Assert.Equal(expected, Streamed(bytes, chunk));
        }, iter: 3_000);
    }

    /// <summary>Every command, then the final status (prefixed '#') with the bytes left.</summary>
    private static List<string> ParseAll(ReadOnlySequence<byte> buffer)
    {
        var commands = new List<string>();
        while (true)
        {
            var status = FaktoryParser.TryParse(ref buffer, MaxLine, out var command);
            if (status != ParseStatus.Command)
            {
                commands.Add($"#{status}:{buffer.Length}");
                return commands;
            }

            commands.Add(command.Verb + " " + Convert.ToHexString(command.Payload.Span));
        }
    }

    /// <summary>As a connection reads: <paramref name="chunk"/> bytes at a time, whole lines taken as they complete.</summary>
    private static List<string> Streamed(byte[] bytes, int chunk)
    {
        var commands = new List<string>();
        byte[] pending = [];
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            var buffer = new ReadOnlySequence<byte>([.. pending, .. bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset))]);
            ParseStatus status;
            while ((status = FaktoryParser.TryParse(ref buffer, MaxLine, out var command)) == ParseStatus.Command)
            {
                commands.Add(command.Verb + " " + Convert.ToHexString(command.Payload.Span));
            }

            if (status == ParseStatus.LineTooLong)
            {
                commands.Add(nameof(ParseStatus.LineTooLong));
                return commands;
            }

            pending = buffer.ToArray();
        }

        commands.Add(nameof(ParseStatus.Incomplete));
        return commands;
    }
}
