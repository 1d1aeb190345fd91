using System.Text.Json.Serialization;
using Conveyor.Client;

namespace Conveyor.Cli.Output;

/// <summary>The SDK types the CLI prints that the contracts' context does not have (the worker list).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<WorkerProcessView>))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
