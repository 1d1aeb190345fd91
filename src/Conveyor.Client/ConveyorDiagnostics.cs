namespace Conveyor.Client;

/// <summary>
/// The names to subscribe to: <c>.AddSource(ConveyorDiagnostics.ActivitySourceName)</c> and
/// <c>.AddMeter(ConveyorDiagnostics.MeterName)</c> in OpenTelemetry, or an <c>ActivityListener</c>/<c>MeterListener</c>.
/// </summary>
public static class ConveyorDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> with one consumer span per job attempt.</summary>
    public const string ActivitySourceName = "Conveyor.Client";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> with the worker's counters and duration histogram.</summary>
    public const string MeterName = "Conveyor.Client";

    /// <summary>Counter of jobs whose handler returned (acked).</summary>
    public const string JobsProcessed = "conveyor.client.jobs.processed";

    /// <summary>Counter of failed attempts (handler exception, unknown type, shutdown).</summary>
    public const string JobsFailed = "conveyor.client.jobs.failed";

    /// <summary>Histogram of handler durations, in seconds.</summary>
    public const string JobDuration = "conveyor.client.jobs.duration";

    /// <summary>Counter of settlements the server refused because the lease was no longer current.</summary>
    public const string SettleStale = "conveyor.client.settle.stale";
}
