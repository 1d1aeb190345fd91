using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conveyor.Samples.Worker;

/// <summary>Source-generated JSON for the job's arguments and result.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SendWelcomeEmail))]
[JsonSerializable(typeof(DailyDigest))]
[JsonSerializable(typeof(WelcomeEmailSent))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
