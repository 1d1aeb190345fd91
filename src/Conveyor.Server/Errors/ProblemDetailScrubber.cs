using System.Text.RegularExpressions;

namespace Conveyor.Server.Errors;

/// <summary>
/// Keeps .NET type names out of the details clients see (SPEC §6): the framework's binding and JSON errors
/// say "Failed to read parameter \"FetchRequest request\"" or "could not be converted to
/// Conveyor.Contracts....". The field, path and position stay; the types go.
/// </summary>
internal static partial class ProblemDetailScrubber
{
    public static string Scrub(string detail)
    {
        var scrubbed = ConvertedTo().Replace(detail, "has the wrong JSON type");
        scrubbed = TypedParameter().Replace(scrubbed, "'$1'");
        return QualifiedType().Replace(scrubbed, "a value");
    }

    [GeneratedRegex(@"could not be converted to [^\s.]+(\.[^\s.]+)*\.?(?=\s|$)")]
    private static partial Regex ConvertedTo();

    /// <summary>A parameter as the framework names it: <c>"Type name"</c>.</summary>
    [GeneratedRegex(@"""[^""\s]+ (\w+)""")]
    private static partial Regex TypedParameter();

    [GeneratedRegex(@"\b(System|Microsoft|Conveyor)(\.[\w`+<>\[\],]+)+")]
    private static partial Regex QualifiedType();
}
