using System.Text;
using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;
using static Conveyor.Server.Tests.Json.JsonMutations;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The hand-rolled enqueue reader against the source-generated serializer: every request the serializer writes
/// reads back equal, and for mutated bodies both accept or both refuse (and then agree on what they read), except
/// that the reader refuses null tags and meta values, which the serializer lets through.
/// </summary>
public sealed class EnqueueRequestReaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReadBatchSpecs_RandomRequests_AsTheSerializerThenTheMapping()
    {
        var random = new Random(5);
        var rejected = 0;
        for (var i = 0; i < 2000; i++)
        {
            var jobs = Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomJob(random)).ToList();
            var body = JsonSerializer.SerializeToUtf8Bytes(new EnqueueBatchRequest { Jobs = jobs }, ConveyorJsonContext.Default.EnqueueBatchRequest);

            var expected = Expected(body);
            Assert.Equal(expected, Actual(body));
            rejected += expected.StartsWith("422", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.InRange(rejected, 100, 1900);
    }

    [Theory]
    [InlineData("""{"jobs":[{"type":"a"},null,{"type":"b"}]}""")]
    [InlineData("""{"other":{"x":[1,2]},"jobs":[]}""")]
    [InlineData("""{"jobs":[{"\u0074ype":"escaped","args":  [ 1 , 2 ] }]}""")]
    [InlineData("""{"jobs":null}""")]
    [InlineData("""{"jobz":[]}""")]
    [InlineData("""{"jobs":[{"type":"a","delay_ms":-1}],"jobs":[{"type":"b"}]}""")] // the last "jobs" wins, with its own verdict
    [InlineData("""{"jobs":[{"type":"b"}],"jobs":[{"type":"a","delay_ms":-1}]}""")]
    [InlineData("""{"jobs":[{"type":"a","backoff":"never"},{"type":"b","delay_ms":-1}]}""")] // the first refusal is reported
    public void ReadBatchSpecs_Shapes_AsTheSerializerThenTheMapping(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.Equal(Expected(body), Actual(body));
    }

    [Fact]
    public void ReadBatchSpecs_MutatedBodies_AgreeWithTheSerializerOrRefuseCleanly()
    {
        var random = new Random(17);
        var agreed = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var jobs = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomJob(random)).ToList();
            var body = Mutate(JsonSerializer.SerializeToUtf8Bytes(new EnqueueBatchRequest { Jobs = jobs }, ConveyorJsonContext.Default.EnqueueBatchRequest), random);

            // Bad input is refused as malformed (400, JsonException) or out of range (422); nothing else escapes.
            var actual = Try(() => Actual(body));
            var serialized = Try(() => JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.EnqueueBatchRequest));
            if (actual.Ok && serialized.Ok && serialized.Value?.Jobs?.Any(j => j?.Tags?.Contains(null!) == true || j?.Meta?.Values.Contains(null!) == true) != true)
            {
                agreed++;
                Assert.Equal(Expected(body), actual.Value);
            }
        }

        Assert.InRange(agreed, 500, 5_000);
    }

    [Theory]
    [InlineData("""{"jobs":[{"type":"a","delay_ms":-1},{"type":]}""")]
    [InlineData("""{"jobs":[null,{"type":"b"}]} x""")]
    public void ReadBatchSpecs_RefusedJobThenMalformedJson_MalformedWins(string json)
    {
        Assert.ThrowsAny<JsonException>(() => EnqueueRequestReader.ReadBatchSpecs(Encoding.UTF8.GetBytes(json), Now));
    }

    [Fact]
    public void ReadBatchSpecs_RepeatedQueueAndType_OneStringEach()
    {
        var specs = EnqueueRequestReader.ReadBatchSpecs("""{"jobs":[{"type":"mail","queue":"q"},{"type":"mail","queue":"q"},{"type":"sms","queue":"\u0071"},{"type":"mail"}]}"""u8, Now);

        Assert.Equal(["mail", "mail", "sms", "mail"], specs.Select(j => j.Type));
        Assert.Equal(["q", "q", "q", "default"], specs.Select(j => j.Queue));
        Assert.Same(specs[0].Type, specs[1].Type);
        Assert.Same(specs[0].Queue, specs[1].Queue);
    }

    [Fact]
    public void ReadJob_MutatedBodies_AgreesWithTheSerializer()
    {
        var random = new Random(11);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var body = Mutate(JsonSerializer.SerializeToUtf8Bytes(RandomJob(random), ConveyorJsonContext.Default.EnqueueRequest), random);

            var expected = Try(() => JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.EnqueueRequest));
            if (expected.Value is { } value && (value.Tags?.Contains(null!) == true || value.Meta?.Values.Contains(null!) == true))
            {
                // Stricter on purpose: a null tag or meta value is refused, where the serializer would pass it on.
                expected = (false, null, "null inside tags or meta");
            }

            var actual = Try(() => EnqueueRequestReader.ReadJob(body));

            Assert.True(expected.Ok == actual.Ok, $"serializer {expected.Error ?? "accepted"}, reader {actual.Error ?? "accepted"}: {Encoding.UTF8.GetString(body)}");
            if (expected.Ok && expected.Value is not null)
            {
                accepted++;
                Assert.Equal(Describe(expected.Value), Describe(actual.Value!));
            }
        }

        Assert.InRange(accepted, 2_000, 18_000);
    }

    [Fact]
    public void ReadJob_Args_KeptByteForByte()
    {
        var read = EnqueueRequestReader.ReadJob("""{"type":"t","args": {"b" : [1, 2.50, "\u00e9"] } }"""u8);

        Assert.Equal("""{"b" : [1, 2.50, "\u00e9"] }""", read.Args.ToString());
    }

    [Theory]
    [InlineData("""{"type":"t","args":"\xff"}""")]
    [InlineData("""{"type":"t","id":"\xff"}""")]
    [InlineData("""{"type":"t"} x""")]
    [InlineData("""null""")]
    [InlineData("""{"type":"t","tags":[null]}""")]
    [InlineData("""{"type":"t","meta":{"k":1}}""")]
    public void ReadJob_Malformed_Throws(string json)
    {
        var body = json.Contains("\\xff", StringComparison.Ordinal)
            ? [.. Encoding.UTF8.GetBytes(json.Replace("\\xff", string.Empty, StringComparison.Ordinal))[..^2], 0xFF, (byte)'"', (byte)'}']
            : Encoding.UTF8.GetBytes(json);

        Assert.ThrowsAny<JsonException>(() => EnqueueRequestReader.ReadJob(body));
    }

    private static EnqueueRequest RandomJob(Random random) => new()
    {
        Id = Maybe(random, () => "id-" + random.Next(1000)),
        Queue = Maybe(random, () => random.Next(3) == 0 ? "q\"\\é" : "default"),
        Type = Maybe(random, () => "type." + random.Next(10)),
        Args = random.Next(4) switch
        {
            0 => RawJson.EmptyArray,
            1 => RawJson.FromString("""{"n":1,"s":"x\ny","a":[true,null,1.5e3]}"""),
            2 => RawJson.FromString("\"text\""),
            _ => RawJson.FromString(random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        },
        Priority = MaybeValue(random, () => random.Next(-5, 15)),
        RunAt = MaybeValue(random, () => new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(random.Next(-3, 3)))),
        DelayMs = MaybeValue(random, () => (long)random.Next(0, 100_000) * random.Next(1, 1000)),
        MaxAttempts = MaybeValue(random, () => random.Next(0, 30)),
        Dead = MaybeValue(random, () => random.Next(2) == 0),
        LeaseSeconds = MaybeValue(random, () => random.Next(0, 4000)),
        UniqueKey = Maybe(random, () => "u" + random.Next(5)),
        UniqueForSeconds = MaybeValue(random, () => random.Next(0, 100)),
        Tags = Maybe<IReadOnlyList<string>>(random, () => [.. Enumerable.Range(0, random.Next(3)).Select(i => "t" + i)]),
        Meta = Maybe<IReadOnlyDictionary<string, string>>(random, () => Enumerable.Range(0, random.Next(3)).ToDictionary(i => "k" + i, i => "v" + i)),
        Backoff = Maybe(random, () => random.Next(2) == 0 ? "exponential" : "fixed:5"),
    };

    private static T? Maybe<T>(Random random, Func<T> value)
        where T : class => random.Next(3) == 0 ? null : value();

    private static T? MaybeValue<T>(Random random, Func<T> value)
        where T : struct => random.Next(3) == 0 ? null : value();

    /// <summary>What the serializer reads, mapped job by job as the endpoint used to (the first refusal wins).</summary>
    private static string Expected(byte[] body)
    {
        var request = JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.EnqueueBatchRequest)!;
        try
        {
            var jobs = request.Jobs ?? throw new RequestRejectedException("jobs", "required");
            return Describe([.. jobs.Select((job, i) => JobSpecMapping.ToSpec(job, Now, i))]);
        }
        catch (RequestRejectedException ex)
        {
            return "422 " + ex.Message;
        }
    }

    private static string Actual(byte[] body)
    {
        try
        {
            return Describe(EnqueueRequestReader.ReadBatchSpecs(body, Now));
        }
        catch (RequestRejectedException ex)
        {
            return "422 " + ex.Message;
        }
    }

    private static string Describe(IReadOnlyList<JobSpec> specs) => string.Join("\n", specs.Select(job => string.Join("|",
        job.Id, job.Queue, job.Type, Encoding.UTF8.GetString(job.Args.Span), job.Priority, job.RunAt?.ToString("O"), job.MaxAttempts, job.Dead,
        job.LeaseSeconds, job.UniqueKey, job.UniqueForSeconds, string.Join(",", job.Tags), string.Join(",", job.Meta.Select(kv => kv.Key + "=" + kv.Value)), job.Backoff)));

    private static string Describe(EnqueueRequest? job) => job is null ? "null" : string.Join("|",
        job.Id, job.Queue, job.Type, job.Args.Utf8.IsEmpty ? "[]" : job.Args.ToString(), job.Priority, job.RunAt?.ToString("O"), job.DelayMs, job.MaxAttempts, job.Dead,
        job.LeaseSeconds, job.UniqueKey, job.UniqueForSeconds, job.Tags is null ? "-" : string.Join(",", job.Tags),
        job.Meta is null ? "-" : string.Join(",", job.Meta.Select(kv => kv.Key + "=" + kv.Value)), job.Backoff);
}
