using System.Text.Json.Serialization;

namespace Conveyor.Client.Tests;

[JsonSerializable(typeof(CountJob))]
[JsonSerializable(typeof(ThrowJob))]
[JsonSerializable(typeof(SleepJob))]
[JsonSerializable(typeof(BlockJob))]
[JsonSerializable(typeof(HoldJob))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
