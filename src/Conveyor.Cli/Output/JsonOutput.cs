using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Json;

namespace Conveyor.Cli.Output;

/// <summary>Machine output: the wire JSON, indented, with the contracts' own (source-generated) serialization.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new(ConveyorJsonContext.Default.Options) { WriteIndented = true };

    /// <summary>The <c>--json</c> flag of the listing commands.</summary>
    public static Option<bool> Option() => new("--json") { Description = "Print the server's JSON instead of a table" };

    /// <summary>Writes a wire type from <see cref="ConveyorJsonContext"/>.</summary>
    public static Task WriteAsync<T>(ParseResult parse, T value) =>
        WriteAsync(parse, value, (JsonTypeInfo<T>)Indented.GetTypeInfo(typeof(T)));

    public static Task WriteAsync<T>(ParseResult parse, T value, JsonTypeInfo<T> type) =>
        parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(value, type));
}
