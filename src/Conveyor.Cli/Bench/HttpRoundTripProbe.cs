using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The HTTP stack's round trip against the server under test: <c>GET /healthz</c> (no store, no JSON) one at a time
/// on the load generator's own client. One enqueue in flight pays this and an fsync at the least; what it takes
/// beyond both is the enqueue's own path (body, store command, answer).
/// </summary>
internal static class HttpRoundTripProbe
{
    public const string Name = "HTTP round trip probe (GET /healthz, 1 in flight)";

    public static async Task<BenchRow> RunAsync(BenchHttp http, TimeSpan duration, CancellationToken cancellationToken)
    {
        var latency = new LatencySamples();
        long count = 0;
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration && !cancellationToken.IsCancellationRequested)
        {
            var before = Stopwatch.GetTimestamp();
            await http.HealthAsync(cancellationToken).ConfigureAwait(false);
            latency.AddSince(before);
            count++;
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new BenchRow
        {
            Name = Name,
            Jobs = count,
            Seconds = seconds,
            JobsPerSecond = count / seconds,
            Latency = "GET /healthz",
            P50Ms = latency.Milliseconds(0.50),
            P99Ms = latency.Milliseconds(0.99),
            P999Ms = latency.Milliseconds(0.999),
            Note = "round trips/s in the jobs/s column",
        };
    }
}
