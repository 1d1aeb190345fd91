using System.Text.Json.Serialization;

namespace Conveyor.Client.Tests;

[JsonSerializable(typeof(CountJob))]
[JsonSerializable(typeof(ThrowJob))]
[JsonSerializable(typeof(SleepJob))]
[JsonSerializable(typeof(BlockJob))]
[JsonSerializable(typeof(HoldJob))]
[JsonSerializable(typeof(PermanentJob))]
[JsonSerializable(typeof(RetryLaterJob))]
[JsonSerializable(typeof(BadInputJob))]
[JsonSerializable(typeof(PolicyJob))]
[JsonSerializable(typeof(ScopeJob))]
[JsonSerializable(typeof(TimeoutJob))]
[JsonSerializable(typeof(QueuedHoldJob))]
[JsonSerializable(typeof(SumJob))]
[JsonSerializable(typeof(SumResult))]
[JsonSerializable(typeof(HugeResultJob))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
