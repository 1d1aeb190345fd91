using System.CommandLine;
using System.CommandLine.Parsing;

namespace Conveyor.Cli;

/// <summary>Options whose default comes from <c>CONVEYOR_&lt;NAME&gt;</c> when set; the command line wins.</summary>
internal static class EnvironmentOption
{
    /// <summary>The environment variable for <c>--http-port</c>: <c>CONVEYOR_HTTP_PORT</c>.</summary>
    public static string VariableFor(string optionName) =>
        "CONVEYOR_" + optionName.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    public static Option<T> Create<T>(string name, string description, T fallback, Func<string, (bool Ok, T Value)> parse)
    {
        var variable = VariableFor(name);
        return new Option<T>(name)
        {
            // System.CommandLine prints the default itself ([default: ...]); the description names only the variable.
            Description = $"{description} [env {variable}]",
            DefaultValueFactory = result => FromEnvironment(result, variable, fallback, parse),
        };
    }

    public static Option<string> Text(string name, string description, string fallback) =>
        Create(name, description, fallback, value => (true, value));

    public static Option<int> Integer(string name, string description, int fallback) =>
        Create(name, description, fallback, value => (int.TryParse(value, out var n), n));

    public static Option<bool> Boolean(string name, string description, bool fallback) =>
        Create(name, description, fallback, value => (bool.TryParse(value, out var b), b));

    public static Option<TEnum> Enum<TEnum>(string name, string description, TEnum fallback)
        where TEnum : struct, System.Enum =>
        Create<TEnum>(name, description, fallback, value => (System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var e), e));

    private static T FromEnvironment<T>(ArgumentResult result, string variable, T fallback, Func<string, (bool Ok, T Value)> parse)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        var (ok, parsed) = parse(value);
        if (!ok)
        {
            result.AddError($"{variable}='{value}' is not a valid value");
            return fallback;
        }

        return parsed;
    }
}
