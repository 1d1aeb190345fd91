using System.Text;
using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Contracts.Json;
using Conveyor.Server.Mapping;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// The small worker bodies the endpoints bind with the source-generated <see cref="ConveyorJsonContext"/>:
/// <c>POST /v1/fetch</c>, <c>/v1/jobs/{id}/ack</c>, <c>/fail</c> and <c>/heartbeat</c>, each followed by the mapping its
/// endpoint runs. Documented rejections: <see cref="JsonException"/> (400) and <see cref="RequestRejectedException"/> (422).
/// </summary>
internal sealed class HttpFetchTarget : IFuzzTarget
{
    public string Name => "http-fetch";

    public void Run(ReadOnlySpan<byte> input)
    {
        var json = ConveyorJsonContext.Default;
        Read(input, json.FetchRequest, fetch =>
        {
            // What the fetch endpoint computes before it calls the broker.
            _ = fetch.Queues ?? [];
            _ = fetch.Max ?? 1;
            _ = TimeSpan.FromMilliseconds(fetch.WaitMs ?? 0);
        });
        Read(input, json.AckRequest, ack => SettleMapping.RequireToken(ack.Token));
        Read(input, json.FailRequest, fail => SettleMapping.ToFail("job-1", fail));
        Read(input, json.HeartbeatRequest, beat => SettleMapping.ToHeartbeat("job-1", beat));
    }

    private static void Read<T>(ReadOnlySpan<byte> input, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, Action<T> map)
        where T : class
    {
        try
        {
            if (JsonSerializer.Deserialize(input, type) is { } request)
            {
                map(request);
            }
        }
        catch (Exception ex) when (ex is JsonException or RequestRejectedException)
        {
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("fetch.json", Encoding.UTF8.GetBytes("""{"queues":["default","mail"],"max":10,"wait_ms":5000,"worker_id":"w-1","omit_defaults":true}"""));
        yield return ("ack.json", Encoding.UTF8.GetBytes("""{"token":"42"}"""));
        yield return ("fail.json", Encoding.UTF8.GetBytes("""{"token":"42","error_type":"E","message":"boom","backtrace":["a","b"],"retry_in_ms":1000}"""));
        yield return ("heartbeat.json", Encoding.UTF8.GetBytes("""{"token":"42","extend_seconds":30}"""));
    }
}
