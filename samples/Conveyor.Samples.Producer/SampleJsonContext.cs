using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conveyor.Samples.Producer;

/// <summary>Source-generated JSON for the API bodies and the job's arguments (no reflection, trim-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Signup))]
[JsonSerializable(typeof(SignupAccepted))]
[JsonSerializable(typeof(SendWelcomeEmail))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
