using System.Diagnostics;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The HTTP stack's round trip against the server under test: <c>GET /healthz</c> (no store, no JSON) one at a time
/// on the load generator's own client, back to back or paced. One enqueue in flight pays this and an fsync at the
/// least; what it takes beyond both is the enqueue's own path (body, store command, answer). Paced at a light rate,
/// both processes sleep between calls and each call pays their wake-ups, as a pickup at that rate does.
/// </summary>
internal static class HttpRoundTripProbe
{
    public static async Task<BenchRow> RunAsync(BenchHttp http, TimeSpan duration, CancellationToken cancellationToken, double? perSecond = null)
    {
        var pace = new ProbePace(duration, perSecond);
        var latency = new LatencySamples();
        long count = 0;
        var started = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested && pace.TryNext(started, count, out var wait))
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            var before = Stopwatch.GetTimestamp();
            await http.HealthAsync(cancellationToken).ConfigureAwait(false);
            latency.AddSince(before);
            count++;
        }

        return BenchRow.Probe(pace.Name("HTTP round trip probe", "GET /healthz, 1 in flight"), count, Stopwatch.GetElapsedTime(started).TotalSeconds, "GET /healthz", latency, pace.Note("round trips"));
    }
}
