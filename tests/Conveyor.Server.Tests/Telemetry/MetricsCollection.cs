namespace Conveyor.Server.Tests.Telemetry;

/// <summary>
/// Runs the <c>/metrics</c> tests alone: an OpenTelemetry meter provider listens to every meter of a name in the
/// process, so a scrape made while other tests' servers run would count their gauges too (one server per process
/// in production).
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;
