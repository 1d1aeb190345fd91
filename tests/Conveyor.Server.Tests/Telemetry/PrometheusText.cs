using System.Globalization;
using System.Text.RegularExpressions;

namespace Conveyor.Server.Tests.Telemetry;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4) and its OpenMetrics form: every line is a
/// <c># HELP</c>, <c># TYPE</c>, <c># UNIT</c>, <c># EOF</c> or a sample <c>name{label="value",...} number [timestamp]</c>;
/// anything else fails the test that scraped it.
/// </summary>
internal static partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line == "# EOF")
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var meta = MetaLine().Match(line);
                Assert.True(meta.Success, $"not a HELP/TYPE/UNIT line: {line}");
                if (meta.Groups[1].Value == "TYPE")
                {
                    Assert.True(typed.Add(meta.Groups[2].Value), $"TYPE given twice for {meta.Groups[2].Value}");
                }

                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (match.Groups[2].Success && match.Groups[2].Value.Length > 0)
            {
                foreach (Match label in LabelPair().Matches(match.Groups[2].Value))
                {
                    labels[label.Groups[1].Value] = label.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                }
            }

            var value = match.Groups[3].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups[1].Value, labels, value));
        }

        return samples;
    }

    [GeneratedRegex("""^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*)( .*)?$""")]
    private static partial Regex MetaLine();

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? (\S+)( -?\d+(?:\.\d+)?)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
