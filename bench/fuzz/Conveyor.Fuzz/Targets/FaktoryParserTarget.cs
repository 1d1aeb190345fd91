using System.Buffers;
using System.Text;
using Conveyor.Protocol.Faktory;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// <see cref="FaktoryParser"/>: it has no rejection type (a bad line is a status), so any exception is a crash. The first
/// byte picks a line limit and a chunk size; the rest is parsed whole, then split into chunks (a multi-segment
/// buffer), then fed chunk by chunk as a pipe would: all three must give the same commands and the same verdict.
/// </summary>
internal sealed class FaktoryParserTarget : IFuzzTarget
{
    public string Name => "faktory-parser";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var maxLine = 1 + (input[0] & 0x0F) * 8;
        var chunk = 1 + (input[0] >> 4);
        var data = input[1..].ToArray();
        var whole = ParseAll(new ReadOnlySequence<byte>(data), maxLine);
        var split = ParseAll(ChunkedSequence.Of(data, chunk), maxLine);
        if (!whole.SequenceEqual(split))
        {
            throw new InvalidOperationException($"split parse differs: [{string.Join(", ", whole)}] vs [{string.Join(", ", split)}]");
        }

        var streamed = ParseStreamed(data, chunk, maxLine);
        var wholeCommands = whole.Where(c => !c.StartsWith('#')).Append(Verdict(whole[^1])).ToList();
        if (!wholeCommands.SequenceEqual(streamed))
        {
            throw new InvalidOperationException($"streamed parse differs: [{string.Join(", ", wholeCommands)}] vs [{string.Join(", ", streamed)}]");
        }
    }

    /// <summary>Every command, then the final status (prefixed '#') with the bytes left.</summary>
    private static List<string> ParseAll(ReadOnlySequence<byte> buffer, int maxLine)
    {
        var commands = new List<string>();
        while (true)
        {
            var status = FaktoryParser.TryParse(ref buffer, maxLine, out var command);
            if (status != ParseStatus.Command)
            {
                commands.Add($"#{status}:{buffer.Length}");
                return commands;
            }

            commands.Add(Describe(command));
        }
    }

    /// <summary>As a connection reads: bytes arrive <paramref name="chunk"/> at a time, whole lines are taken as they complete.</summary>
    private static List<string> ParseStreamed(byte[] data, int chunk, int maxLine)
    {
        var commands = new List<string>();
        var pending = new List<byte>();
        for (var offset = 0; offset < data.Length || offset == 0; offset += chunk)
        {
            pending.AddRange(data.AsSpan(offset, Math.Min(chunk, data.Length - offset)).ToArray());
            var buffer = new ReadOnlySequence<byte>(pending.ToArray());
            while (true)
            {
                var status = FaktoryParser.TryParse(ref buffer, maxLine, out var command);
                if (status == ParseStatus.LineTooLong)
                {
                    commands.Add(nameof(ParseStatus.LineTooLong));
                    return commands;
                }

                if (status == ParseStatus.Incomplete)
                {
                    break;
                }

                commands.Add(Describe(command));
            }

            pending = [.. buffer.ToArray()];
            if (data.Length == 0)
            {
                break;
            }
        }

        commands.Add(nameof(ParseStatus.Incomplete));
        return commands;
    }

    private static string Verdict(string final) => final[1..final.IndexOf(':', StringComparison.Ordinal)];

    private static string Describe(FaktoryCommandLine command) => command.Verb + " " + Convert.ToHexString(command.Payload.Span);

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("hello.txt", Line(0xFF, "HELLO {\"v\":2,\"wid\":\"w1\",\"hostname\":\"h\",\"pid\":12,\"labels\":[\"a\"]}\r\nBEAT {\"wid\":\"w1\"}\r\n"));
        yield return ("push.txt", Line(0x3F, "PUSH {\"jid\":\"j1\",\"jobtype\":\"t\",\"args\":[1]}\r\nFETCH default\r\nACK {\"jid\":\"j1\"}\r\n"));
        yield return ("mixed.txt", Line(0x12, "\r\n\nINFO\nfetch  q1 q2\r\nTOOLONGVERBTOOLONGVERB x\r\nEND\r\npartial"));
    }

    private static byte[] Line(byte control, string text) => [control, .. Encoding.UTF8.GetBytes(text)];
}
