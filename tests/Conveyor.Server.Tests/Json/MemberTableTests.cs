using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conveyor.Client.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Server.Json;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The hand-written codecs' member tables against the wire records they read or write: every member of a record has
/// an entry in each table of its codecs (and no entry names a member the record lacks), and the order of a table
/// only orders, so reordering one cannot swap two members.
/// </summary>
public sealed class MemberTableTests
{
    public static TheoryData<string, Type, string[]> Tables => new()
    {
        { "SDK JobViewReader", typeof(JobView), Names(JobViewReader.Members) },
        { "SDK LeaseViewReader", typeof(LeaseView), Names(LeaseViewReader.Members) },
        { "SDK FailureViewReader", typeof(FailureView), Names(FailureViewReader.Members) },
        { "SDK FetchResponseReader", typeof(FetchResponse), Names(FetchResponseReader.Members) },
        { "SDK SettleResponseReader", typeof(SettleResponse), Names(SettleResponseReader.Members) },
        { "SDK SettleItemReader", typeof(SettleItemResult), Names(SettleItemReader.Members) },
        { "SDK EnqueueBatchResponseReader", typeof(EnqueueBatchResponse), Names(EnqueueBatchResponseReader.Members) },
        { "server JobViewWriter", typeof(JobView), Names(JobViewWriter.Members) },
        { "server LeaseViewWriter", typeof(LeaseView), Names(LeaseViewWriter.Members) },
        { "server FailureViewWriter", typeof(FailureView), Names(FailureViewWriter.Members) },
        { "server EnqueueRequestReader", typeof(EnqueueRequest), Names(EnqueueRequestReader.Members) },
        { "server EnqueueRequestReader (batch)", typeof(EnqueueBatchRequest), Names(EnqueueRequestReader.BatchMembers) },
        { "server SettleRequestReader", typeof(SettleRequest), Names(SettleRequestReader.Members) },
        { "server SettleRequestReader (ack)", typeof(SettleAck), Names(SettleRequestReader.AckMembers) },
        { "server SettleRequestReader (fail)", typeof(SettleFail), Names(SettleRequestReader.FailMembers) },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Table_EveryRecordMember_HasOneEntry(string codec, Type record, string[] entries)
    {
        var members = WireNames(record);

        Assert.True(
            members.Order().SequenceEqual(entries.Order()),
            $"{codec}: {record.Name} has [{string.Join(", ", members.Except(entries))}] without an entry; entries [{string.Join(", ", entries.Except(members))}] name no member");
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void WireNames_OfEveryRecord_AreTheSerializers(string codec, Type record, string[] entries)
    {
        _ = codec;
        _ = entries;

        Assert.Equal(ConveyorJsonContext.Default.GetTypeInfo(record)!.Properties.Select(p => p.Name).Order(), WireNames(record).Order());
    }

    [Fact]
    public void Writers_TheirOrder_IsTheSerializers()
    {
        // A writer writes in its table's order, which the parity tests hold to the serializer's byte for byte.
        Assert.Equal(SerializerOrder(typeof(JobView)), Names(JobViewWriter.Members));
        Assert.Equal(SerializerOrder(typeof(LeaseView)), Names(LeaseViewWriter.Members));
        Assert.Equal(SerializerOrder(typeof(FailureView)), Names(FailureViewWriter.Members));
    }

    [Fact]
    public void Constructor_NameTwice_Throws()
    {
        ResponseMember<int> read = static (ref p, ref into) => into = p.ReadInt();

        Assert.Throws<ArgumentException>(() => new JsonMemberTable<ResponseMember<int>>([new("a", read), new("b", read), new("a", read)]));
    }

    [Fact]
    public void ReadObject_SdkJobTableReversed_ReadsTheSameView()
    {
        var body = FetchedJob();
        var reversed = Reversed(JobViewReader.Members);

        var read = ResponseParser.Parse(body, static (ref p) => Root(ref p, JobViewReader.Members));
        var readReversed = ResponseParser.Parse(body, (ref p) => Root(ref p, reversed));

        Assert.Equal(JsonSerializer.Serialize(read, ConveyorJsonContext.Default.JobView), JsonSerializer.Serialize(readReversed, ConveyorJsonContext.Default.JobView));
        Assert.Equal(Encoding.UTF8.GetString(body), JsonSerializer.Serialize(readReversed, ConveyorJsonContext.Default.JobView));
    }

    [Fact]
    public void Reset_EveryMemberSet_EqualsANewRequest()
    {
        // A batch reads its jobs into one wire object: a member Reset misses would carry over from job to job.
        var request = EveryEnqueueOption();

        Assert.NotEqual(new EnqueueRequest(), request);
        Assert.Equal(new EnqueueRequest(), EnqueueRequestReader.Reset(request));
    }

    [Fact]
    public void ReadObject_ServerEnqueueTableReversed_ReadsTheSameRequest()
    {
        var request = EveryEnqueueOption();
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.EnqueueRequest);
        var reversed = Reversed(EnqueueRequestReader.Members);

        var read = ReadEnqueue(body, reversed);

        Assert.Equal(Encoding.UTF8.GetString(body), JsonSerializer.Serialize(read, ConveyorJsonContext.Default.EnqueueRequest));
    }

    private static JobView Root(ref ResponseParser parser, JsonMemberTable<ResponseMember<JobView>> members)
    {
        var job = new JobView();
        parser.ReadRoot(members, ref job);
        return job;
    }

    private static EnqueueRequest ReadEnqueue(ReadOnlySpan<byte> body, JsonMemberTable<RequestMember<EnqueueRequestReader.Reading>> members)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        var reading = new EnqueueRequestReader.Reading { Job = new EnqueueRequest() };
        JsonTokens.ReadObject(ref reader, body, members, ref reading);
        return reading.Job;
    }

    /// <summary>An enqueue request with every option set.</summary>
    private static EnqueueRequest EveryEnqueueOption() => new()
    {
        Id = "a", Queue = "q", Type = "t", Args = RawJson.FromString("[1]"), Priority = 7, RunAt = DateTimeOffset.UnixEpoch, DelayMs = 1, MaxAttempts = 3,
        Dead = false, LeaseSeconds = 60, TimeoutSeconds = 30, UniqueKey = "k", UniqueForSeconds = 5, Tags = ["x"], Meta = new Dictionary<string, string> { ["m"] = "v" }, Backoff = "fixed:3",
    };

    /// <summary>A job view with every member away from its default, so any swap shows.</summary>
    private static byte[] FetchedJob() => JsonSerializer.SerializeToUtf8Bytes(
        new JobView
        {
            Id = "id", Queue = "queue", Type = "type", Args = RawJson.FromString("""{"a":1}"""), Priority = 2, State = "retrying", Attempt = 3, MaxAttempts = 4,
            Dead = false, LeaseSeconds = 5, TimeoutSeconds = 6, CreatedAt = DateTimeOffset.UnixEpoch.AddDays(1), RunAt = DateTimeOffset.UnixEpoch.AddDays(2),
            FinishedAt = DateTimeOffset.UnixEpoch.AddDays(3), UniqueKey = "unique", Tags = ["tag"], Meta = new Dictionary<string, string> { ["k"] = "v" },
            Backoff = "fixed:6", Failures = [new FailureView(7, DateTimeOffset.UnixEpoch.AddDays(4), "error", "message", ["frame"])],
            Lease = new LeaseView("token", "worker", DateTimeOffset.UnixEpoch.AddDays(5)),
        },
        ConveyorJsonContext.Default.JobView);

    private static JsonMemberTable<TAccess> Reversed<TAccess>(JsonMemberTable<TAccess> table)
        where TAccess : notnull
    {
        var members = new List<JsonMember<TAccess>>();
        foreach (var member in table.Members)
        {
            members.Insert(0, member);
        }

        return new JsonMemberTable<TAccess>([.. members]);
    }

    private static string[] Names<TAccess>(JsonMemberTable<TAccess> table)
        where TAccess : notnull
    {
        var names = new List<string>();
        foreach (var member in table.Members)
        {
            names.Add(member.Name);
        }

        return [.. names];
    }

    private static string[] SerializerOrder(Type record) => [.. ConveyorJsonContext.Default.GetTypeInfo(record)!.Properties.Select(p => p.Name)];

    /// <summary>
    /// The record's members on the wire, found by reflection: its public properties and the non-public ones it
    /// includes, less those it ignores, each by its <c>JsonPropertyName</c> or else its snake_case name.
    /// </summary>
    private static string[] WireNames(Type record) =>
    [
        .. record.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.GetMethod?.IsPublic == true || p.IsDefined(typeof(JsonIncludeAttribute)))
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)),
    ];
}
