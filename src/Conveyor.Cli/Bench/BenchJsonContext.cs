using System.Text.Json.Serialization;

namespace Conveyor.Cli.Bench;

/// <summary>Source-generated JSON of the bench report (the CLI stays reflection-free).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
