using System.Text;
using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;

namespace Conveyor.Fuzz.Targets;

/// <summary>
/// <c>POST /v1/jobs</c> and <c>/v1/jobs/batch</c> bodies: <see cref="EnqueueRequestReader"/> then the mapping to a job
/// spec, as the endpoints do. Documented rejections: <see cref="JsonException"/> (400) and <see cref="RequestRejectedException"/> (422).
/// </summary>
internal sealed class HttpEnqueueTarget : IFuzzTarget
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public string Name => "http-enqueue";

    public void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            _ = JobSpecMapping.ToSpec(EnqueueRequestReader.ReadJob(input), Now);
        }
        catch (Exception ex) when (ex is JsonException or RequestRejectedException)
        {
        }

        try
        {
            _ = EnqueueRequestReader.ReadBatchSpecs(input, Now);
        }
        catch (Exception ex) when (ex is JsonException or RequestRejectedException)
        {
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("job-minimal.json", Encoding.UTF8.GetBytes("""{"type":"email"}"""));
        yield return ("job-full.json", Encoding.UTF8.GetBytes("""
            {"id":"order-42","queue":"mail","type":"send_email","args":[{"to":"a@b.c","n":1.5e3},null,true,"x\u00e9"],
             "priority":3,"run_at":"2026-01-02T03:04:05.678+01:00","max_attempts":5,"dead":false,"lease_seconds":60,
             "unique_key":"u-1","unique_for_seconds":300,"tags":["a","b"],"meta":{"k":"v"},"backoff":"fixed:10"}
            """));
        yield return ("job-delay.json", Encoding.UTF8.GetBytes("""{"type":"t","queue":"q","delay_ms":1500,"backoff":"exponential","args":{"nested":[[1],[2,{"x":{}}]]}}"""));
        yield return ("batch.json", Encoding.UTF8.GetBytes("""
            {"jobs":[{"type":"a","args":[1]},{"type":"b","queue":"q2","priority":9,"tags":["t"]},{"id":"x-1","type":"a","run_at":"2026-05-01T00:00:00Z"}]}
            """));
        yield return ("batch-rejected.json", Encoding.UTF8.GetBytes("""{"jobs":[{"type":"a"},{"queue":"no-type"},null]}"""));
    }
}
