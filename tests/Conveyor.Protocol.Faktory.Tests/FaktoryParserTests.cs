using System.Buffers;
using System.Text;
using Xunit;

namespace Conveyor.Protocol.Faktory.Tests;

public sealed class FaktoryParserTests
{
    public static TheoryData<string, string, string> Commands() => new()
    {
        { "HELLO {\"hostname\":\"h\",\"wid\":\"w1\",\"v\":2}\r\n", "HELLO", "{\"hostname\":\"h\",\"wid\":\"w1\",\"v\":2}" },
        { "PUSH {\"jid\":\"a b\",\"jobtype\":\"t\",\"args\":[1,\"x y\"]}\r\n", "PUSH", "{\"jid\":\"a b\",\"jobtype\":\"t\",\"args\":[1,\"x y\"]}" },
        { "PUSHB [{\"jid\":\"1\"},{\"jid\":\"2\"}]\n", "PUSHB", "[{\"jid\":\"1\"},{\"jid\":\"2\"}]" },
        { "FETCH critical default bulk\r\n", "FETCH", "critical default bulk" },
        { "ACK {\"jid\":\"123\"}\r\n", "ACK", "{\"jid\":\"123\"}" },
        { "FAIL {\"jid\":\"1\",\"errtype\":\"E\",\"message\":\"m\",\"backtrace\":[\"a\"]}\r\n", "FAIL", "{\"jid\":\"1\",\"errtype\":\"E\",\"message\":\"m\",\"backtrace\":[\"a\"]}" },
        { "BEAT {\"wid\":\"w1\"}\r\n", "BEAT", "{\"wid\":\"w1\"}" },
        { "INFO\r\n", "INFO", "" },
        { "FLUSH\n", "FLUSH", "" },
        { "END\r\n", "END", "" },
        { "QUEUE PAUSE a b\r\n", "QUEUE", "PAUSE a b" },
        { "MUTATE {\"cmd\":\"kill\",\"target\":\"retries\",\"filter\":{\"regexp\":\"*x*\"}}\r\n", "MUTATE", "{\"cmd\":\"kill\",\"target\":\"retries\",\"filter\":{\"regexp\":\"*x*\"}}" },
        { "push {}\r\n", "PUSH", "{}" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void TryParse_SplitAtEveryByte_SameCommand(string text, string verb, string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var buffer = Segments.Split(bytes, cut, cut + 1, cut + 3);

            var status = FaktoryParser.TryParse(ref buffer, 1024, out var command);

            Assert.Equal(ParseStatus.Command, status);
            Assert.Equal(verb, command.Verb);
            Assert.Equal(payload, Encoding.UTF8.GetString(command.Payload.Span));
            Assert.True(buffer.IsEmpty);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void TryParse_FedByteByByte_IncompleteUntilTheNewline(string text, string verb, string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var length = 0; length < bytes.Length; length++)
        {
            var partial = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.Equal(ParseStatus.Incomplete, FaktoryParser.TryParse(ref partial, 1024, out _));
        }

        var whole = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(ParseStatus.Command, FaktoryParser.TryParse(ref whole, 1024, out var command));
        Assert.Equal((verb, payload), (command.Verb, Encoding.UTF8.GetString(command.Payload.Span)));
    }

    [Fact]
    public void TryParse_TwoCommandsAndBlankLines_OneAtATime()
    {
        var buffer = new ReadOnlySequence<byte>("\r\n\nINFO\r\n\r\nEND\r\nPU"u8.ToArray());

        Assert.Equal(ParseStatus.Command, FaktoryParser.TryParse(ref buffer, 1024, out var first));
        Assert.Equal(ParseStatus.Command, FaktoryParser.TryParse(ref buffer, 1024, out var second));
        Assert.Equal(ParseStatus.Incomplete, FaktoryParser.TryParse(ref buffer, 1024, out _));

        Assert.Equal("INFO", first.Verb);
        Assert.Equal("END", second.Verb);
        Assert.Equal("PU", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void TryParse_LineOverLimit_Refused()
    {
        var complete = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("PUSH " + new string('x', 100) + "\r\n"));
        var unterminated = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("PUSH " + new string('x', 100)));

        Assert.Equal(ParseStatus.LineTooLong, FaktoryParser.TryParse(ref complete, 64, out _));
        Assert.Equal(ParseStatus.LineTooLong, FaktoryParser.TryParse(ref unterminated, 64, out _));
    }

    /// <summary>
    /// Found by the fuzzer (bench/fuzz, target faktory-parser): a line of exactly the limit whose CR arrived without its
    /// LF was refused as too long, while the same bytes in one read were a command.
    /// </summary>
    [Fact]
    public void TryParse_LineOfLimitWithCarriageReturnAwaitingLineFeed_WaitsThenParses()
    {
        var line = "INFO " + new string('x', 59); // 64 bytes, the limit
        var firstRead = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line + "\r"));
        var bothReads = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line + "\r\n"));
        var overLimit = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(line + "xx"));

        Assert.Equal(ParseStatus.Incomplete, FaktoryParser.TryParse(ref firstRead, 64, out _));
        Assert.Equal(ParseStatus.Command, FaktoryParser.TryParse(ref bothReads, 64, out var command));
        Assert.Equal("INFO", command.Verb);
        Assert.Equal(ParseStatus.LineTooLong, FaktoryParser.TryParse(ref overLimit, 64, out _));
    }

    [Theory]
    [InlineData("P!SH {}\r\n")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ {}\r\n")]
    [InlineData(" {}\r\n")]
    public void TryParse_BadVerb_EmptyVerb(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));

        Assert.Equal(ParseStatus.Command, FaktoryParser.TryParse(ref buffer, 1024, out var command));
        Assert.Equal("", command.Verb);
    }

    [Fact]
    public void TryParse_RandomInput_NeverThrowsAndAlwaysProgresses()
    {
        var random = new Random(4);
        for (var round = 0; round < 2000; round++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            foreach (var i in Enumerable.Range(0, bytes.Length / 10))
            {
                bytes[random.Next(bytes.Length)] = (byte)"\r\n "[random.Next(3)];
            }

            var buffer = Segments.Split(bytes, random.Next(bytes.Length + 1), random.Next(bytes.Length + 1));
            var steps = 0;
            while (true)
            {
                var before = buffer.Length;
                var status = FaktoryParser.TryParse(ref buffer, 128, out _);
                if (status != ParseStatus.Command)
                {
                    break;
                }

                Assert.True(buffer.Length < before, "a parsed command must consume input");
                Assert.True(++steps <= bytes.Length);
            }
        }
    }

    [Fact]
    public void Words_QueueNames_SplitOnSpaces()
    {
        var command = new FaktoryCommandLine("FETCH", "a  b c "u8.ToArray());

        Assert.Equal(["a", "b", "c"], command.Words());
    }
}
