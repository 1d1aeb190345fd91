using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Jobs;
using Conveyor.Server.Json;
using static Conveyor.Server.Tests.Json.JsonMutations;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The hand-written settle reader against the source-generated serializer: every request the serializer writes
/// reads back equal, and for mutated bodies both accept or both refuse (and then agree on what they read). Nulls
/// — lists, items, fields, backtrace frames — are read as the serializer reads them, for the mapping to name.
/// </summary>
public sealed class SettleRequestReaderTests
{
    // What a value swap puts after a colon: wrong types for every field, and the nulls the mapping must see.
    private static readonly string[] Values =
        ["1e400", "\"5\"", "5.5", "1e3", "true", "[]", "{}", "null", "-1", "99999999999999999999", "[null]", "[\"f\",null]", "[1]", "[{}]", "[{\"id\":\"x\"}]"];

    [Fact]
    public void Read_RandomRequests_EqualToWhatWasWritten()
    {
        var random = new Random(21);
        for (var i = 0; i < 2000; i++)
        {
            var request = RandomRequest(random);
            var body = JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.SettleRequest);

            Assert.Equal(Describe(request), Describe(SettleRequestReader.Read(body)));
        }
    }

    [Fact]
    public void Read_MutatedBodies_AgreesWithTheSerializer()
    {
        var random = new Random(22);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var body = Mutate(JsonSerializer.SerializeToUtf8Bytes(RandomRequest(random, maxItems: 2), ConveyorJsonContext.Default.SettleRequest), random, Values);

            var expected = Try(() => JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.SettleRequest) ?? throw new JsonException("null"));
            var actual = Try(() => SettleRequestReader.Read(body));

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
    [InlineData("""{"ack":null,"fail":null}""")]
    [InlineData("""{"ack":[null,{"id":null,"token":null}],"fail":[null,{"backtrace":null,"retry_in_ms":null}]}""")]
    [InlineData("""{"fail":[{"id":"a","token":"t","backtrace":["f",null,"g"]}]}""")]
    [InlineData("""{"\u0061ck":[{"\u0069d":"a","tok\u0065n":"t"}],"fail":[{"error\u005Ftype":"E","retry_in_ms":-0}]}""")]
    [InlineData("""{"x":{"ack":[1,{"y":[]}]},"ack":[{"id":"a","z":[{"id":1}],"token":"t"}],"fail":[{"w":null,"id":"b","message":"m\n\u00e9\ud83d\ude00"}],"v":"\u00ff"}""")]
    [InlineData("""{"ack":[{"id":"first"}],"ack":[{"id":"a","id":"last"}],"fail":[{"retry_in_ms":1,"retry_in_ms":9223372036854775807}]}""")]
    [InlineData("""{"fail":[{"id":"a","token":"t","retry":false},{"retry":true,"retry":null}]}""")]
    [InlineData(""" { "ack" : [ { "id" : "a" , "token" : "t" } ] , "fail" : [ ] } """)]
    [InlineData("""{"Ack":[1],"ACK":2,"fail ":3,"errorType":4}""")]
    [InlineData("""{"\u0061ck\xff":[1],"ack":[{"\u0069d\xff":2,"id":"a"}],"fail":[{"tok\u0065n\xff":3}]}""")]
    public void Read_Shapes_ReadLikeTheSerializer(string json)
    {
        var body = Utf8WithInvalidBytes(json);

        var expected = JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.SettleRequest)!;

        Assert.Equal(Describe(expected), Describe(SettleRequestReader.Read(body)));
    }

    [Theory]
    [InlineData("""{"ack":[{"id":"\xff","token":"t"}]}""")]
    [InlineData("""{"fail":[{"id":"a","backtrace":["\xff"]}]}""")]
    [InlineData("""{"ack":[]} x""")]
    [InlineData("""{"ack":[]}{}""")]
    [InlineData("""{"ack":[{"id":"a","token":"t"}]""")]
    [InlineData("""{"ack":[],}""")]
    [InlineData("""{"ack":/* c */[]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"ack":{}}""")]
    [InlineData("""{"ack":[1]}""")]
    [InlineData("""{"ack":[[]]}""")]
    [InlineData("""{"ack":[{"id":5}]}""")]
    [InlineData("""{"fail":"x"}""")]
    [InlineData("""{"fail":[{"token":true}]}""")]
    [InlineData("""{"fail":[{"backtrace":"f"}]}""")]
    [InlineData("""{"fail":[{"backtrace":[1]}]}""")]
    [InlineData("""{"fail":[{"retry_in_ms":"5"}]}""")]
    [InlineData("""{"fail":[{"retry_in_ms":1.5}]}""")]
    [InlineData("""{"fail":[{"retry_in_ms":1e3}]}""")]
    [InlineData("""{"fail":[{"retry_in_ms":9223372036854775808}]}""")]
    [InlineData("""{"fail":[{"retry":0}]}""")]
    [InlineData("""{"fail":[{"retry":"false"}]}""")]
    [InlineData("""{"fail":[{"\ud800":1}]}""")]
    [InlineData("""{"ack":[],"\ud800\u0061\xff":1}""")]
    public void Read_Malformed_ThrowsAsTheSerializerDoes(string json)
    {
        var body = Utf8WithInvalidBytes(json);

        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.SettleRequest));
        Assert.ThrowsAny<JsonException>(() => SettleRequestReader.Read(body));
    }

    [Fact]
    public void Read_AckIds_UlidsAsTheirValueAndOtherIdsAsText()
    {
        var ulid = Ulid.Format(new UInt128(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210));
        var escaped = "\\u00" + ((int)ulid[0]).ToString("x2") + ulid[1..];
        var body = Encoding.UTF8.GetBytes(
            $$"""{"ack":[{"id":"{{ulid}}","token":"1"},{"id":"{{escaped}}","token":"2"},{"id":"{{ulid.ToLowerInvariant()}}","token":"3"},{"id":"mine-1","token":"4"},{"id":"","token":"5"}]}""");

        var acks = SettleRequestReader.Read(body).Ack!.Select(a => a!.Value.Id!.Value).ToList();

        Assert.True(acks[0].TryGetUlid(out var value));
        Assert.Equal(ulid, Ulid.Format(value));
        Assert.True(acks[1].TryGetUlid(out _));
        Assert.Equal(acks[0], acks[1]);
        Assert.False(acks[2].TryGetUlid(out _));
        Assert.Equal(ulid.ToLowerInvariant(), acks[2].ToString());
        Assert.Equal(JobKey.Of("mine-1"), acks[3]);
        Assert.Equal("", acks[4].ToString());
    }

    [Fact]
    public void Read_NullBody_Throws()
    {
        // The serializer returns null here; the endpoint needs an object, so the reader refuses it as malformed.
        Assert.ThrowsAny<JsonException>(() => SettleRequestReader.Read("null"u8));
        Assert.ThrowsAny<JsonException>(() => SettleRequestReader.Read(" "u8));
    }

    /// <summary>The text as UTF-8, with each <c>\xff</c> written as the single byte 0xFF (never valid UTF-8).</summary>
    private static byte[] Utf8WithInvalidBytes(string json) =>
        [.. json.Split("\\xff").Select(Encoding.UTF8.GetBytes).Aggregate((a, b) => [.. a, 0xFF, .. b])];

    private static SettleRequest RandomRequest(Random random, int maxItems = 4) => new()
    {
        Ack = Maybe<IReadOnlyList<SettleAck>>(random, () => [.. Items(random, maxItems, () => new SettleAck
        {
            Id = Maybe(random, () => random.Next(2) == 0 ? RandomUlid(random) : RandomJobs.Text(random, 26)),
            Token = Maybe(random, () => RandomJobs.Text(random, 8)),
        })]),
        Fail = Maybe<IReadOnlyList<SettleFail>>(random, () => [.. Items(random, maxItems, () => new SettleFail
        {
            Id = Maybe(random, () => RandomJobs.Text(random, 26)),
            Token = Maybe(random, () => RandomJobs.Text(random, 8)),
            ErrorType = Maybe(random, () => RandomJobs.Text(random, 12)),
            Message = Maybe(random, () => RandomJobs.Text(random, 40)),
            Backtrace = Maybe<IReadOnlyList<string>>(random, () => [.. Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(8) == 0 ? null! : RandomJobs.Text(random, 20))]),
            RetryInMs = random.Next(3) switch
            {
                0 => null,
                1 => random.Next(-1, 100_000),
                _ => random.NextInt64(long.MinValue, long.MaxValue),
            },
            Retry = random.Next(3) switch
            {
                0 => null,
                1 => true,
                _ => false,
            },
        })]),
    };

    private static string RandomUlid(Random random) => Ulid.Format(new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()));

    /// <summary>Up to <paramref name="max"/> items, one in eight of them null.</summary>
    private static IEnumerable<T> Items<T>(Random random, int max, Func<T> item) =>
        Enumerable.Range(0, random.Next(max + 1)).Select(_ => random.Next(8) == 0 ? default! : item());

    private static T? Maybe<T>(Random random, Func<T> value)
        where T : class => random.Next(4) == 0 ? null : value();

    // The serializer writes every field, nulls included, so its output is a full description.
    private static string Describe(SettleRequest request) => JsonSerializer.Serialize(request, ConveyorJsonContext.Default.SettleRequest);

    // The reader's acks carry keys: a key's text is the id it was read from (a ULID key only from a ULID's exact text).
    private static string Describe(SettleBody body) => Describe(new SettleRequest
    {
        Ack = body.Ack?.Select(ack => ack is { } a ? new SettleAck { Id = a.Id?.ToString(), Token = a.Token } : null!).ToList(),
        Fail = body.Fail?.Select(fail => fail!).ToList(),
    });
}
