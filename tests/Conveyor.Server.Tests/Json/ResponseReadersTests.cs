using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Client.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The SDK's settle and batch-enqueue answer readers against the source-generated serializer: random answers read
/// the same, and for mutated bodies (truncation, noise, removal, insertion, swapped values, renamed and repeated
/// members) both accept or both refuse, agreeing on what they read; the readers only ever throw <see cref="JsonException"/>.
/// </summary>
public sealed class ResponseReadersTests
{
    private static readonly string[] Values = ["null", "1", "[]", "{}", "[null]", "\"x\"", "true", "\"ok\"", "{\"id\":null}", "[\"a\",null]"];

    private static readonly string[] Statuses = ["ok", "stale", "unknown", "other", "o\\u006b"];

    [Fact]
    public void SettleResponse_RandomAndMutated_AgreesWithTheSerializer()
    {
        var random = new Random(21);
        Agree(random, () => RandomSettle(random), b => SettleResponseReader.Read(b), ConveyorJsonContext.Default.SettleResponse, ["results", "id", "status"]);
    }

    [Fact]
    public void SettleResponse_ReadWithTheRequestSent_AgreesWithTheSerializer()
    {
        // The request the answer is read against: mostly the ids the answer holds (acks, then fails), sometimes with
        // one changed, a null item, or fewer or more items than the answer; the mutations then break the answer too.
        var random = new Random(23);
        SettleRequest? sent = null;
        Agree(
            random,
            () =>
            {
                var response = RandomSettle(random);
                sent = RequestFor(random, response);
                return response;
            },
            b => SettleResponseReader.Read(b, sent),
            ConveyorJsonContext.Default.SettleResponse,
            ["results", "id", "status"]);
    }

    [Fact]
    public void SettleResponse_ReadWithTheRequestSent_SharesTheIdsSent()
    {
        string[] ids = ["01JD0000000000000000000001", "a", "01JD0000000000000000000003", "é"];
        var sent = new SettleRequest
        {
            Ack = [new SettleAck { Id = new string(ids[0].AsSpan()), Token = "1" }, null!, new SettleAck { Id = "x", Token = "3" }],
            Fail = [new SettleFail { Id = new string(ids[3].AsSpan()), Token = "4" }],
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new SettleResponse([.. ids.Select(id => new SettleItemResult(id, "ok"))]), ConveyorJsonContext.Default.SettleResponse);

        var read = SettleResponseReader.Read(body, sent);

        Assert.Equal(ids, read.Results.Select(r => r.Id));
        Assert.Same(sent.Ack[0].Id, read.Results[0].Id);
        Assert.NotSame(sent.Fail[0].Id, read.Results[3].Id); // written with an escape: decoded, not compared
    }

    [Fact]
    public void EnqueueBatchResponse_RandomAndMutated_AgreesWithTheSerializer()
    {
        var random = new Random(22);
        Agree(random, () => RandomBatch(random), b => EnqueueBatchResponseReader.Read(b), ConveyorJsonContext.Default.EnqueueBatchResponse, ["ids"]);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"results":null}""")]
    [InlineData("""{"results":[null,{},{"id":"a"},{"status":"ok","id":"b","x":[1,{"y":2}]}]}""")]
    [InlineData("""{"r\u0065sults":[{"i\u0064":"\u00e9","status":"st\u0061le"}],"results":[{"id":"last","status":"ok"}]}""")]
    public void SettleResponse_Shapes_ReadLikeTheSerializer(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.SettleResponse)!, ConveyorJsonContext.Default.SettleResponse),
            JsonSerializer.Serialize(SettleResponseReader.Read(body), ConveyorJsonContext.Default.SettleResponse));
    }

    [Fact]
    public void SettleResponse_KnownStatuses_AreSharedStrings()
    {
        var read = SettleResponseReader.Read("""{"results":[{"id":"a","status":"ok"},{"id":"b","status":"ok"}]}"""u8);

        Assert.Same(read.Results[0].Status, read.Results[1].Status);
    }

    [Theory]
    [InlineData("""{"ids":["a"]} {}""")]
    [InlineData("""{"ids":[1]}""")]
    [InlineData("""[]""")]
    [InlineData("""{"ids":["a"]""")]
    public void EnqueueBatchResponse_Malformed_Throws(string json) =>
        Assert.ThrowsAny<JsonException>(() => EnqueueBatchResponseReader.Read(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public async Task ReadAsync_BodyLargerThanTheFirstBuffer_ReadsItWhole()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => $"id-{i:D20}").ToList();
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new EnqueueBatchResponse(ids), ConveyorJsonContext.Default.EnqueueBatchResponse));

        var read = await EnqueueBatchResponseReader.ReadAsync(body, TestContext.Current.CancellationToken);

        Assert.Equal(ids, read.Ids);
    }

    private static void Agree<T>(Random random, Func<T> next, Func<byte[], T> read, JsonTypeInfo<T> info, string[] names)
    {
        var disagreements = new List<string>();
        var accepted = 0;
        for (var i = 0; i < 10_000 && disagreements.Count < 8; i++)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(next(), info);
            if (i % 10 != 0)
            {
                body = random.Next(8) == 0 ? Rename(random, body, names) : JsonMutations.Mutate(body, random, Values);
            }

            var expected = Outcome(() => JsonSerializer.Deserialize(body, info)!, info);
            var actual = Outcome(() => read(body), info);
            accepted += expected == "refused" ? 0 : 1;
            if (expected != actual)
            {
                disagreements.Add($"{Encoding.UTF8.GetString(body)}\n  serializer: {expected}\n  reader:     {actual}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
        Assert.InRange(accepted, 1_000, 9_000);
    }

    /// <summary>A known member written with an escape, in another case, or repeated at the object's start.</summary>
    private static byte[] Rename(Random random, byte[] body, string[] names)
    {
        var text = Encoding.UTF8.GetString(body);
        var name = names[random.Next(names.Length)];
        var quoted = $"\"{name}\"";
        var open = text.IndexOf('{', StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(random.Next(3) switch
        {
            0 => text.Replace(quoted, $"\"\\u{(int)name[0]:x4}{name[1..]}\"", StringComparison.Ordinal),
            1 => text.Replace(quoted, quoted.ToUpperInvariant(), StringComparison.Ordinal),
            _ => open < 0 ? text : text[..(open + 1)] + $"{quoted}:{Values[random.Next(Values.Length)]}," + text[(open + 1)..],
        });
    }

    private static string Outcome<T>(Func<T> read, JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Serialize(read(), info);
        }
        catch (JsonException)
        {
            return "refused";
        }
    }

    private static SettleRequest RequestFor(Random random, SettleResponse response)
    {
        var ids = response.Results.Select(r => r.Id).ToList();
        switch (random.Next(6))
        {
            case 0 when ids.Count > 0: ids[random.Next(ids.Count)] = RandomJobs.Text(random, 26); break;
            case 1 when ids.Count > 0: ids[random.Next(ids.Count)] = null!; break;
            case 2 when ids.Count > 0: ids.RemoveAt(ids.Count - 1); break;
            case 3: ids.Add(RandomJobs.Text(random, 26)); break;
        }

        var acks = random.Next(ids.Count + 1);
        return new SettleRequest
        {
            Ack = [.. ids.Take(acks).Select(id => id is null ? null! : new SettleAck { Id = id, Token = "t" })],
            Fail = random.Next(4) == 0 && acks == ids.Count ? null : [.. ids.Skip(acks).Select(id => id is null ? null! : new SettleFail { Id = id, Token = "t" })],
        };
    }

    private static SettleResponse RandomSettle(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => new SettleItemResult(RandomJobs.Text(random, 26), Statuses[random.Next(3)]))]);

    private static EnqueueBatchResponse RandomBatch(Random random) =>
        new([.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomJobs.Text(random, 26))]);
}
