using System.Text;
using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Client.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;
using CsCheck;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// CsCheck properties over the hand-written readers (the same ones bench/fuzz fuzzes): generated requests read as
/// the serializer reads them, and random or mutated bytes are read or refused with the reader's documented
/// rejection only (<see cref="JsonException"/>, and <see cref="RequestRejectedException"/> from the mapping). A
/// failure prints the seed that reproduces it.
/// </summary>
public sealed class ReaderPropertyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Gen<string> Name = Gen.Char["abcXYZ019-_.:"].Array[1, 12].Select(c => new string(c));

    /// <summary>Any text: escapes, non-ASCII, surrogate pairs, control characters.</summary>
    private static readonly Gen<string> Text = Gen.String;

    private static readonly Gen<EnqueueRequest> Request =
        from id in OrNull(Name)
        from queue in OrNull(Name)
        from type in OrNull(Gen.OneOf(Name, Text))
        from args in Gen.OneOf("[]", "[1,\"a\",null]", "{\"k\":[true,null,1.5e3]}", "\"\\u00e9\"", "-0.25")
        from priority in Gen.Int[0, 10]
        from maxAttempts in Gen.Int[-1, 30]
        from delay in Gen.Long[-10, 100_000]
        from tags in Gen.OneOf(Name, Text).Array[0, 3]
        from meta in Gen.Select(Name, Text).Array[0, 3]
        from backoff in Gen.OneOf<string?>(null, "exponential", "fixed:5", "fixed:0", "linear")
        select new EnqueueRequest
        {
            Id = id,
            Queue = queue,
            Type = type,
            Args = RawJson.FromString(args),
            Priority = priority == 0 ? null : priority,
            MaxAttempts = maxAttempts,
            DelayMs = delay,
            Tags = tags,
            Meta = meta.DistinctBy(m => m.Item1).ToDictionary(m => m.Item1, m => m.Item2),
            Backoff = backoff,
        };

    private static readonly Gen<SettleRequest> Settle =
        from acks in Gen.Select(Name, Gen.Int[1, 1_000_000]).Array[0, 4]
        from fails in Gen.Select(Name, Text, Text.Array[0, 3], Gen.Long[0, 100_000]).Array[0, 3]
        select new SettleRequest
        {
            Ack = [.. acks.Select(a => new SettleAck { Id = a.Item1, Token = a.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture) })],
            Fail = [.. fails.Select(f => new SettleFail { Id = f.Item1, Token = "7", ErrorType = f.Item2, Message = f.Item2, Backtrace = f.Item3, RetryInMs = f.Item4 })],
        };

    /// <summary>Up to four bytes overwritten, and the body maybe cut: what a broken client or network sends.</summary>
    private static readonly Gen<(int Position, byte Value)[]> Edits = Gen.Select(Gen.Int[0, 4096], Gen.Byte).Array[0, 4];

    private static readonly byte[][] Responses =
    [
        """{"jobs":[{"id":"01JD5Z8Q4C1N8V6X3T9R2M7K4B","queue":"default","type":"email","args":[1,{"b":null}],"state":"active","priority":5,"attempt":2,"max_attempts":25,"created_at":"2026-01-01T00:00:00Z","tags":["x"],"meta":{"k":"v"},"lease":{"token":"7","worker_id":"w","expires_at":"2026-01-01T00:01:00Z"},"failures":[{"attempt":1,"at":"2026-01-01T00:00:00.5Z","error_type":"E","message":"m","backtrace":["f"]}]}]}"""u8.ToArray(),
        """{"results":[{"id":"a","status":"ok"},{"id":"b","status":"stale"},{"id":"c","status":"unknown"}]}"""u8.ToArray(),
        """{"ids":["01JD5Z8Q4C1N8V6X3T9R2M7K4B","order-42"]}"""u8.ToArray(),
    ];

    [Fact]
    public void EnqueueReader_GeneratedRequests_ReadAndMapAsTheSerializer()
    {
        Request.Sample(request =>
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.EnqueueRequest);
            var read = EnqueueRequestReader.ReadJob(body);
            var expected = JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.EnqueueRequest)!;

            Assert.Equal(Json(expected), Json(read));
            Assert.Equal(MapOutcome(expected), MapOutcome(read));
        }, iter: 2_000);
    }

    [Fact]
    public void EnqueueReaders_MutatedBodies_ReadOrRefuseCleanly()
    {
        Gen.Select(Request, Edits, Gen.Int[0, 8]).Sample((request, edits, cut) =>
        {
            var job = Mutate(JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.EnqueueRequest), edits, cut);
            var batch = Mutate(Encoding.UTF8.GetBytes($$"""{"jobs":[{{JsonSerializer.Serialize(request, ConveyorJsonContext.Default.EnqueueRequest)}}]}"""), edits, cut);

            ReadsOrRefuses(() => JobSpecMapping.ToSpec(EnqueueRequestReader.ReadJob(job), Now));
            ReadsOrRefuses(() => EnqueueRequestReader.ReadBatchSpecs(batch, Now));
        }, iter: 3_000);
    }

    [Fact]
    public void SettleReader_GeneratedRequests_MapEveryItem()
    {
        Settle.Sample(request =>
        {
            var settle = SettleMapping.ToSettle(SettleRequestReader.Read(JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.SettleRequest)));

            Assert.Equal(request.Ack!.Select(a => $"{a.Id}:{a.Token}"), settle.Acks.Select(a => $"{a.Id}:{a.Token}"));
            Assert.Equal(request.Fail!.Select(f => f.Id!), settle.Fails.Select(f => f.Id.ToString()));
        }, iter: 2_000);
    }

    [Fact]
    public void SettleReader_MutatedBodies_ReadOrRefuseCleanly()
    {
        Gen.Select(Settle, Edits, Gen.Int[0, 8]).Sample((request, edits, cut) =>
        {
            var body = Mutate(JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.SettleRequest), edits, cut);

            ReadsOrRefuses(() => SettleMapping.ToSettle(SettleRequestReader.Read(body)));
        }, iter: 3_000);
    }

    [Fact]
    public void ClientResponseReaders_MutatedAnswers_ReadOrRefuseCleanly()
    {
        Gen.Select(Gen.Int[0, Responses.Length - 1], Edits, Gen.Int[0, 8]).Sample((which, edits, cut) =>
        {
            var body = Mutate(Responses[which], edits, cut);

            ReadsOrRefuses(() => FetchResponseReader.Read(body));
            ReadsOrRefuses(() => SettleResponseReader.Read(body));
            ReadsOrRefuses(() => EnqueueBatchResponseReader.Read(body));
        }, iter: 3_000);
    }

    [Fact]
    public void EveryReader_RandomBytes_ReadOrRefuseCleanly()
    {
        Gen.OneOf(Gen.Byte.Array[0, 64], Gen.Char["{}[]\":,0ae\\ nul"].Array[0, 64].Select(c => Encoding.UTF8.GetBytes(c))).Sample(body =>
        {
            ReadsOrRefuses(() => JobSpecMapping.ToSpec(EnqueueRequestReader.ReadJob(body), Now));
            ReadsOrRefuses(() => EnqueueRequestReader.ReadBatchSpecs(body, Now));
            ReadsOrRefuses(() => SettleMapping.ToSettle(SettleRequestReader.Read(body)));
            ReadsOrRefuses(() => FetchResponseReader.Read(body));
            ReadsOrRefuses(() => SettleResponseReader.Read(body));
            ReadsOrRefuses(() => EnqueueBatchResponseReader.Read(body));
        }, iter: 5_000);
    }

    private static Gen<T?> OrNull<T>(Gen<T> gen)
        where T : class =>
        Gen.Bool.SelectMany(present => present ? gen.Select(v => (T?)v) : Gen.Const((T?)null));

    private static byte[] Mutate(byte[] body, (int Position, byte Value)[] edits, int cut)
    {
        var bytes = cut == 0 && body.Length > 0 ? body[..(edits.Length == 0 ? body.Length / 2 : edits[0].Position % body.Length)] : (byte[])body.Clone();
        foreach (var (position, value) in edits)
        {
            if (bytes.Length > 0)
            {
                bytes[position % bytes.Length] = value;
            }
        }

        return bytes;
    }

    private static void ReadsOrRefuses<T>(Func<T> read)
    {
        try
        {
            _ = read();
        }
        catch (Exception ex) when (ex is JsonException or RequestRejectedException)
        {
        }
    }

    private static string Json(EnqueueRequest request) => JsonSerializer.Serialize(request, ConveyorJsonContext.Default.EnqueueRequest);

    private static string MapOutcome(EnqueueRequest request)
    {
        try
        {
            var spec = JobSpecMapping.ToSpec(request, Now);
            return $"{spec.Id}|{spec.Queue}|{spec.Type}|{spec.Priority}|{spec.MaxAttempts}|{spec.RunAt:O}|{string.Join(',', spec.Tags)}|{spec.Backoff}";
        }
        catch (RequestRejectedException ex)
        {
            return ex.Message;
        }
    }
}
