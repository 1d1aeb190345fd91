using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Server.Tests.Json;

/// <summary>Args read back byte for byte, whether the serializer has the whole body or streams it a byte at a time.</summary>
public sealed class RawJsonConverterTests
{
    [Theory]
    [InlineData("[]")]
    [InlineData("[ ]")]
    [InlineData("[[]]")]
    [InlineData("[1,[]]")]
    [InlineData("""{"a":[]}""")]
    [InlineData("\"[]\"")]
    [InlineData("7")]
    [InlineData("null")]
    public async Task Read_AnyValue_KeptByteForByte(string args)
    {
        var json = $$"""{"id":"j","queue":"q","type":"t","args":{{args}},"priority":5,"state":"available"}""";
        var options = new JsonSerializerOptions(ConveyorJsonContext.Default.Options) { DefaultBufferSize = 1 };

        var whole = JsonSerializer.Deserialize(json, ConveyorJsonContext.Default.JobView)!;
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var streamed = (JobView)(await JsonSerializer.DeserializeAsync(stream, typeof(JobView), options, TestContext.Current.CancellationToken))!;

        Assert.Equal(args, whole.Args.ToString());
        Assert.Equal(args, streamed.Args.ToString());
        Assert.Equal(5, streamed.Priority);
    }
}
