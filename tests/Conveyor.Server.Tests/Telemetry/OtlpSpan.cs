namespace Conveyor.Server.Tests.Telemetry;

/// <summary>One span as the OTLP receiver decoded it: ids in lowercase hex, string and integer attributes as text.</summary>
internal sealed record OtlpSpan(string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes);
