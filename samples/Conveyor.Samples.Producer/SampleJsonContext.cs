using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conveyor.Samples.Producer;

/// <summary>Source-generated JSON for the API bodies and the job's arguments and result (no reflection, trim-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Signup))]
[JsonSerializable(typeof(SignupAccepted))]
[JsonSerializable(typeof(SendWelcomeEmail))]
[JsonSerializable(typeof(WelcomeEmailSent))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
