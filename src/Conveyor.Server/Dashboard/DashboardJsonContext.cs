using System.Text.Json.Serialization;
using Conveyor.Server.Dashboard.History;

namespace Conveyor.Server.Dashboard;

/// <summary>Source-generated (AOT-safe) serialization of the dashboard's own calls, in snake_case like the rest of the API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
// The live endpoint's `after` query parameter: the OpenAPI document asks for its metadata, which Native AOT cannot make by reflection.
[JsonSerializable(typeof(double?))]
[JsonSerializable(typeof(BulkRequest))]
[JsonSerializable(typeof(BulkAccepted))]
[JsonSerializable(typeof(OperationView))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(LiveView))]
[JsonSerializable(typeof(HistoryView))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
