using System.Collections.Concurrent;

namespace Conveyor.Core.Telemetry;

/// <summary>
/// Bounds a label's cardinality: the first <see cref="Limit"/> distinct values pass as they are, every later one
/// becomes <see cref="Other"/>, so a client inventing queue or type names cannot grow the metrics without end.
/// </summary>
public sealed class LabelCap(int limit)
{
    /// <summary>The value that stands for every name past the cap.</summary>
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, byte> seen = new(StringComparer.Ordinal);

    public int Limit { get; } = limit;

    /// <summary>The label for <paramref name="value"/>.</summary>
    public string Label(string value)
    {
        if (seen.ContainsKey(value))
        {
            return value;
        }

        // Racing callers may admit a few past the limit; the bound is what matters, not its exact value.
        if (seen.Count >= Limit)
        {
            return Other;
        }

        seen.TryAdd(value, 0);
        return value;
    }
}
