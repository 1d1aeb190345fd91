using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conveyor.Client.Tests;

/// <summary>
/// The result tests' types with the client's web defaults (camelCase), as an application's context would be: the
/// <c>JsonTypeInfo</c>s handed to <c>AddHandler</c> and <c>WaitForCompletionAsync</c> read what typed enqueues write.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SumJob))]
[JsonSerializable(typeof(SumResult))]
[JsonSerializable(typeof(HugeResultJob))]
[JsonSerializable(typeof(string))]
internal sealed partial class ResultJsonContext : JsonSerializerContext;
