using System.Text;
using Conveyor.Server.Json;

namespace Conveyor.Server.Tests.Json;

/// <summary>The scratch buffer answers are assembled in: growth keeps what was written; its pooled array goes back once.</summary>
public sealed class ViewBufferTests
{
    [Fact]
    public void Append_PastTheFirstSize_KeepsEverythingInOrder()
    {
        using var buffer = new ViewBuffer(16);
        var expected = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            buffer.Append(i);
            buffer.Append(","u8);
            expected.Append(i).Append(',');
        }

        Assert.Equal(expected.ToString(), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Dispose_Twice_ThenAppend_StartsAfresh()
    {
        var buffer = new ViewBuffer();
        buffer.Append("abc"u8);
        buffer.Dispose();
        buffer.Dispose();

        buffer.AppendString("x\"y");

        Assert.Equal("\"x\\u0022y\"", Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.Dispose();
    }
}
