using System.Buffers;
using System.Text;
using Xunit;

namespace Conveyor.Protocol.Faktory.Tests;

public sealed class FaktoryReplyWriterTests
{
    [Fact]
    public void Writers_EachShape_Resp()
    {
        var output = new ArrayBufferWriter<byte>();

        FaktoryReplyWriter.WriteOk(output);
        FaktoryReplyWriter.WriteSimple(output, "HI {\"v\":2}");
        FaktoryReplyWriter.WriteError(output, "bad\r\nthing");
        FaktoryReplyWriter.WriteBulk(output, "{\"a\":1}"u8);
        FaktoryReplyWriter.WriteBulk(output, "é"u8);
        FaktoryReplyWriter.WriteNull(output);

        Assert.Equal("+OK\r\n+HI {\"v\":2}\r\n-ERR bad  thing\r\n$7\r\n{\"a\":1}\r\n$2\r\né\r\n$-1\r\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
