using System.Text.Json.Serialization;

namespace Conveyor.Client.Http;

/// <summary>
/// The wire types the SDK reads that <see cref="Conveyor.Contracts.Json.ConveyorJsonContext"/> does not have yet (the server
/// keeps its worker view to itself); same snake_case as the contracts.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(IReadOnlyList<WorkerProcessView>))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
