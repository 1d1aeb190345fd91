using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The no-op jobs a run enqueues, on the run's own queue. With a stamp, <c>args</c> is
/// <c>{"t": Stopwatch timestamp, "p": padding}</c> so a worker in this process can time enqueue → start.
/// </summary>
internal sealed class JobFactory(string queue, int payloadBytes)
{
    public const string JobType = "bench.noop";

    private readonly string padding = new('x', Math.Max(0, payloadBytes - 20));
    private readonly Dictionary<int, byte[]> batchBodies = [];
    private readonly RawJson plain = payloadBytes > 0 ? RawJson.FromString($"{{\"p\":\"{new string('x', Math.Max(0, payloadBytes - 8))}\"}}") : RawJson.EmptyArray;

    public string Queue => queue;

    public EnqueueRequest Create(bool stamped = false) => new()
    {
        Type = JobType,
        Queue = queue,
        Args = stamped ? Stamped(Stopwatch.GetTimestamp()) : plain,
    };

    public List<EnqueueRequest> CreateBatch(int count, bool stamped = false)
    {
        var jobs = new List<EnqueueRequest>(count);
        for (var i = 0; i < count; i++)
        {
            jobs.Add(Create(stamped));
        }

        return jobs;
    }

    /// <summary>The serialized body of a batch of <paramref name="count"/> unstamped jobs, built once per size.</summary>
    public byte[] BatchBody(int count)
    {
        lock (batchBodies)
        {
            if (!batchBodies.TryGetValue(count, out var body))
            {
                body = JsonSerializer.SerializeToUtf8Bytes(new EnqueueBatchRequest { Jobs = CreateBatch(count) }, ConveyorJsonContext.Default.EnqueueBatchRequest);
                batchBodies[count] = body;
            }

            return body;
        }
    }

    /// <summary>The timestamp a stamped job carries; null for one without.</summary>
    public static long? ReadStamp(RawJson args) => ReadStamp(args.Utf8.Span);

    /// <summary>The timestamp the UTF-8 <c>args</c> of a job carry; null for one without.</summary>
    public static long? ReadStamp(ReadOnlySpan<byte> args)
    {
        var reader = new Utf8JsonReader(args);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || !reader.ValueTextEquals("t"u8) || !reader.Read())
        {
            return null;
        }

        return reader.TryGetInt64(out var stamp) ? stamp : null;
    }

    private RawJson Stamped(long timestamp) =>
        new(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"t\":{timestamp},\"p\":\"{padding}\"}}")));
}
