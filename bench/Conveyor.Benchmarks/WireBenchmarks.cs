using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Conveyor.Client.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;

namespace Conveyor.Benchmarks;

/// <summary>
/// The JSON every job crosses, per batch of <see cref="Jobs"/>: the hand-written readers and writers the server,
/// the SDK and the bench use, next to the source-generated serializer they replaced (same bytes, same values;
/// the parity tests hold them together).
/// </summary>
[MemoryDiagnoser]
public class WireBenchmarks
{
    private readonly ArrayBufferWriter<byte> output = new(1 << 20);
    private IReadOnlyList<JobInfo> leased = [];
    private byte[] enqueueBatch = [];
    private byte[] fetchResponse = [];
    private byte[] leanFetchResponse = [];
    private byte[] settleRequest = [];
    private byte[] settleResponse = [];
    private IReadOnlyList<SettleResult> settled = [];
    private SettleRequest sent = new();

    [Params(100)]
    public int Jobs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var created = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var args = """{"to":"someone@example.com","template":"welcome","locale":"en"}"""u8.ToArray();
        enqueueBatch = JsonSerializer.SerializeToUtf8Bytes(
            new EnqueueBatchRequest { Jobs = [.. Enumerable.Range(0, Jobs).Select(_ => new EnqueueRequest { Type = "email.send", Queue = "mail", Args = new RawJson(args) })] },
            ConveyorJsonContext.Default.EnqueueBatchRequest);
        leased = [.. Enumerable.Range(0, Jobs).Select(i => new JobInfo
        {
            Key = JobKey.FromValue(JobIdGenerator.NewValue(created)),
            Queue = "mail",
            Type = "email.send",
            Args = args,
            Priority = 5,
            State = JobState.Active,
            Attempt = 1,
            MaxAttempts = 25,
            LeaseSeconds = 1800,
            CreatedAt = created,
            Lease = new JobLease((1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "worker-1", created.AddMinutes(30)),
        })];
        fetchResponse = JsonSerializer.SerializeToUtf8Bytes(new FetchResponse(leased.ToViews()), ConveyorJsonContext.Default.FetchResponse);
        Fetch_Write_Server_OmitDefaults();
        leanFetchResponse = output.WrittenSpan.ToArray();
        sent = new SettleRequest { Ack = [.. leased.Select(j => new SettleAck { Id = j.Id, Token = j.Lease!.Token })] };
        settleRequest = JsonSerializer.SerializeToUtf8Bytes(sent, ConveyorJsonContext.Default.SettleRequest);
        settled = [.. leased.Select(j => new SettleResult(j.Id, SettleStatus.Ok))];
        settleResponse = JsonSerializer.SerializeToUtf8Bytes(
            new SettleResponse([.. leased.Select(j => new SettleItemResult(j.Id, "ok"))]), ConveyorJsonContext.Default.SettleResponse);
    }

    [Benchmark]
    public EnqueueBatchRequest? EnqueueBatch_Read_Serializer() => JsonSerializer.Deserialize(enqueueBatch, ConveyorJsonContext.Default.EnqueueBatchRequest);

    [Benchmark]
    public IReadOnlyList<JobSpec> EnqueueBatch_Read_Server() => EnqueueRequestReader.ReadBatchSpecs(enqueueBatch, DateTimeOffset.UnixEpoch);

    [Benchmark]
    public int Fetch_Write_Serializer() =>
        Write(leased, static (writer, jobs) => JsonSerializer.Serialize(writer, new FetchResponse(jobs.ToViews()), ConveyorJsonContext.Default.FetchResponse));

    [Benchmark]
    public int Fetch_Write_Server() => Write(leased, static (writer, jobs) => FetchResult.Write(writer, jobs));

    [Benchmark]
    public int Fetch_Write_Server_OmitDefaults() => Write(leased, static (writer, jobs) => FetchResult.Write(writer, jobs, omitDefaults: true));

    [Benchmark]
    public FetchResponse? Fetch_Read_Serializer() => JsonSerializer.Deserialize(fetchResponse, ConveyorJsonContext.Default.FetchResponse);

    [Benchmark]
    public FetchResponse Fetch_Read_Sdk() => FetchResponseReader.Read(fetchResponse);

    [Benchmark]
    public FetchResponse Fetch_Read_Sdk_OmitDefaults() => FetchResponseReader.Read(leanFetchResponse);

    [Benchmark]
    public SettleRequest? Settle_Read_Serializer() => JsonSerializer.Deserialize(settleRequest, ConveyorJsonContext.Default.SettleRequest);

    [Benchmark]
    public int Settle_Read_Server() => SettleRequestReader.Read(settleRequest).Ack!.Count;

    [Benchmark]
    public int SettleAnswer_Write_Server() => Write(settled, SettleResponseResult.Write);

    [Benchmark]
    public SettleResponse? SettleAnswer_Read_Serializer() => JsonSerializer.Deserialize(settleResponse, ConveyorJsonContext.Default.SettleResponse);

    [Benchmark]
    public SettleResponse SettleAnswer_Read_Sdk() => SettleResponseReader.Read(settleResponse);

    [Benchmark]
    public SettleResponse SettleAnswer_Read_Sdk_Sent() => SettleResponseReader.Read(settleResponse, sent);

    /// <summary>Writes one answer into the reused output; returns its length.</summary>
    private int Write<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(output);
        write(writer, value);
        writer.Flush();
        return output.WrittenCount;
    }
}
