using System.Text.Json.Serialization;

namespace Conveyor.Server.Dashboard;

/// <summary>Source-generated (AOT-safe) serialization of the dashboard's own calls, in snake_case like the rest of the API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BulkRequest))]
[JsonSerializable(typeof(BulkAccepted))]
[JsonSerializable(typeof(OperationView))]
[JsonSerializable(typeof(SessionView))]
[JsonSerializable(typeof(LiveView))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
