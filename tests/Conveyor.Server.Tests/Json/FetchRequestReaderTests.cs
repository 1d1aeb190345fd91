using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Server.Json;
using static Conveyor.Server.Tests.Json.JsonMutations;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The hand-written fetch reader against the source-generated serializer: every request the serializer writes reads
/// back equal, and for mutated bodies both accept or both refuse (and then agree on what they read).
/// </summary>
public sealed class FetchRequestReaderTests
{
    private static readonly string[] Values =
        ["1e400", "\"5\"", "5.5", "1e3", "true", "[]", "{}", "null", "-1", "2147483648", "[null]", "[\"q\",null]", "[1]", "\"w\""];

    [Fact]
    public void Read_RandomRequests_EqualToWhatWasWritten()
    {
        var random = new Random(31);
        for (var i = 0; i < 2000; i++)
        {
            var request = RandomRequest(random);
            var body = JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.FetchRequest);

            Assert.Equal(Describe(request), Describe(FetchRequestReader.Read(body)));
        }
    }

    [Fact]
    public void Read_MutatedBodies_AgreesWithTheSerializer()
    {
        var random = new Random(32);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var body = Mutate(JsonSerializer.SerializeToUtf8Bytes(RandomRequest(random), ConveyorJsonContext.Default.FetchRequest), random, Values);

            var expected = Try(() => JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.FetchRequest) ?? throw new JsonException("null"));
            var actual = Try(() => FetchRequestReader.Read(body));

            Assert.True(expected.Ok == actual.Ok, $"serializer {expected.Error ?? "accepted"}, reader {actual.Error ?? "accepted"}: {Encoding.UTF8.GetString(body)}");
            if (expected.Ok)
            {
                accepted++;
                Assert.Equal(Describe(expected.Value!), Describe(actual.Value!));
            }
        }

        Assert.InRange(accepted, 2_000, 18_000);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"queues":null,"max":null,"wait_ms":null,"worker_id":null,"omit_defaults":null}""")]
    [InlineData("""{"queues":["a",null,"b"],"max":1,"wait_ms":0,"worker_id":"w","omit_defaults":true}""")]
    [InlineData("""{"max":1,"max":1000,"queues":["x"],"queues":["y"]}""")]
    [InlineData("""{"Max":5,"WAIT_MS":1,"x":{"queues":[1]},"queues":["q"]}""")]
    [InlineData("""{"\u0071ueues":["\u00e9"],"max":-0}""")]
    public void Read_Shapes_ReadLikeTheSerializer(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        var expected = JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.FetchRequest)!;

        Assert.Equal(Describe(expected), Describe(FetchRequestReader.Read(body)));
    }

    [Theory]
    [InlineData("""null""")]
    [InlineData("""[]""")]
    [InlineData("""{"max":"1"}""")]
    [InlineData("""{"max":1.5}""")]
    [InlineData("""{"max":2147483648}""")]
    [InlineData("""{"wait_ms":true}""")]
    [InlineData("""{"queues":"q"}""")]
    [InlineData("""{"queues":[1]}""")]
    [InlineData("""{"worker_id":5}""")]
    [InlineData("""{"omit_defaults":1}""")]
    [InlineData("""{"max":1} x""")]
    [InlineData("""{"max":1""")]
    public void Read_Malformed_Throws(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.ThrowsAny<JsonException>(() => FetchRequestReader.Read(body));
        if (json != "null")
        {
            // The serializer reads null as a null request; the endpoint needs an object, so the reader refuses it.
            Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.FetchRequest));
        }
    }

    private static FetchRequest RandomRequest(Random random) => new()
    {
        Queues = random.Next(4) == 0 ? null : [.. Enumerable.Range(0, random.Next(1, 4)).Select(i => $"q{i}-{random.Next(100)}")],
        Max = random.Next(3) == 0 ? null : random.Next(0, 1001),
        WaitMs = random.Next(3) == 0 ? null : random.Next(0, 30_001),
        WorkerId = random.Next(3) == 0 ? null : $"w\"{random.Next(1000)}é",
        OmitDefaults = random.Next(3) switch { 0 => null, 1 => true, _ => false },
    };

    private static string Describe(FetchRequest request) => JsonSerializer.Serialize(request, ConveyorJsonContext.Default.FetchRequest);
}
