using System.Text;
using System.Text.Json;
using Conveyor.Client.Json;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// The SDK's hand-written response readers (<c>src/Conveyor.Client/Json</c>): fetch, settle and batch-enqueue answers.
/// Documented rejection: <see cref="JsonException"/> (the SDK reports it as a malformed answer).
/// </summary>
internal sealed class ClientResponsesTarget : IFuzzTarget
{
    public string Name => "client-responses";

    public void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            _ = FetchResponseReader.Read(input);
        }
        catch (JsonException)
        {
        }

        try
        {
            _ = SettleResponseReader.Read(input);
        }
        catch (JsonException)
        {
        }

        try
        {
            _ = EnqueueBatchResponseReader.Read(input);
        }
        catch (JsonException)
        {
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("fetch.json", Encoding.UTF8.GetBytes("""
            {"jobs":[{"id":"01JD5Z8Q4C1N8V6X3T9R2M7K4B","queue":"default","type":"email","args":[1,"a",{"b":null}],"state":"active",
              "priority":5,"attempt":2,"max_attempts":25,"created_at":"2026-01-01T00:00:00Z","run_at":"2026-01-01T00:00:01Z",
              "tags":["x"],"meta":{"k":"v"},"backoff":"exponential","unique_key":"u",
              "lease":{"token":"7","worker_id":"w-1","expires_at":"2026-01-01T00:01:00Z"},
              "failures":[{"attempt":1,"at":"2026-01-01T00:00:00.5Z","error_type":"E","message":"m","backtrace":["f1"]}]},
             {"id":"j2","queue":"default","type":"email","args":[],"state":"active","lease":{"token":"8","worker_id":"w-1","expires_at":"2026-01-01T00:01:00Z"}}]}
            """));
        yield return ("settle.json", Encoding.UTF8.GetBytes("""{"results":[{"id":"a","status":"ok"},{"id":"b","status":"stale"},{"id":"c","status":"unknown"}]}"""));
        yield return ("enqueue-batch.json", Encoding.UTF8.GetBytes("""{"ids":["01JD5Z8Q4C1N8V6X3T9R2M7K4B","order-42"]}"""));
        yield return ("empty-fetch.json", Encoding.UTF8.GetBytes("""{"jobs":[]}"""));
    }
}
