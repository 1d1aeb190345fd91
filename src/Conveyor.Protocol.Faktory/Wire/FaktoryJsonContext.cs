using System.Text.Json.Serialization;

namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>Source-generated JSON for the Faktory payloads: snake_case, nulls left out, no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(FaktoryJob))]
[JsonSerializable(typeof(List<FaktoryJob>))]
[JsonSerializable(typeof(FaktoryHello))]
[JsonSerializable(typeof(FaktoryGreeting))]
[JsonSerializable(typeof(FaktoryAck))]
[JsonSerializable(typeof(FaktoryFail))]
[JsonSerializable(typeof(FaktoryBeat))]
[JsonSerializable(typeof(FaktoryBeatReply))]
[JsonSerializable(typeof(FaktoryMutate))]
[JsonSerializable(typeof(FaktoryInfo))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(string))]
public sealed partial class FaktoryJsonContext : JsonSerializerContext;
