using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conveyor.Samples.Worker;

/// <summary>Source-generated JSON for the job's arguments.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SendWelcomeEmail))]
[JsonSerializable(typeof(DailyDigest))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
