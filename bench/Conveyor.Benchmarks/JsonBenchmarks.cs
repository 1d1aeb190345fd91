using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Benchmarks;

/// <summary>The wire side of the hot path: a job's JSON in (enqueue) and out (fetch), with the source-generated context.</summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private readonly EnqueueRequest request = new()
    {
        Type = "email.send",
        Queue = "mail",
        Args = RawJson.FromString("""{"to":"someone@example.com","template":"welcome","locale":"en"}"""),
        Priority = 7,
    };

    private JobView view = null!;
    private byte[] requestUtf8 = [];
    private byte[] viewUtf8 = [];

    [GlobalSetup]
    public void Setup()
    {
        view = new JobView
        {
            Id = "01JD3Z6M4N8XK2Q9W7R5T1V0YB",
            Queue = "mail",
            Type = "email.send",
            Args = request.Args,
            Priority = 7,
            State = "active",
            Attempt = 1,
            MaxAttempts = 25,
            LeaseSeconds = 1800,
            CreatedAt = DateTimeOffset.UnixEpoch,
            Lease = new LeaseView("42", "worker-1", DateTimeOffset.UnixEpoch.AddMinutes(30)),
        };
        requestUtf8 = JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.EnqueueRequest);
        viewUtf8 = JsonSerializer.SerializeToUtf8Bytes(view, ConveyorJsonContext.Default.JobView);
    }

    [Benchmark]
    public byte[] EnqueueRequest_Serialize() => JsonSerializer.SerializeToUtf8Bytes(request, ConveyorJsonContext.Default.EnqueueRequest);

    [Benchmark]
    public EnqueueRequest? EnqueueRequest_Deserialize() => JsonSerializer.Deserialize(requestUtf8, ConveyorJsonContext.Default.EnqueueRequest);

    [Benchmark]
    public byte[] JobView_Serialize() => JsonSerializer.SerializeToUtf8Bytes(view, ConveyorJsonContext.Default.JobView);

    [Benchmark]
    public JobView? JobView_Deserialize() => JsonSerializer.Deserialize(viewUtf8, ConveyorJsonContext.Default.JobView);
}
