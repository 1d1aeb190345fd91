using System.Text.Json.Serialization;

namespace Conveyor.Server;

/// <summary>The values the server puts into problem extensions, serialized without reflection.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
